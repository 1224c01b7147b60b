import { describe, expect, it } from 'vitest';
import { holidaysFromIcs, IcsError } from './holidays-ics.ts';

const ics = (...events: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Holidays//EN', ...events, 'END:VCALENDAR'].join('\r\n');
const event = (lines: string[]) =>
  ['BEGIN:VEVENT', `UID:${lines.join('').length}@test`, ...lines, 'END:VEVENT'].join('\r\n');

describe('holidays from an iCalendar file', () => {
  const window = { from: '2026-01-01', to: '2027-12-31' };

  it('reads all-day events with DTEND as the day after', () => {
    const r = holidaysFromIcs(
      ics(
        event(['DTSTART;VALUE=DATE:20261224', 'DTEND;VALUE=DATE:20261227', 'SUMMARY:Christmas']),
        event(['DTSTART;VALUE=DATE:20260501', 'SUMMARY:Labour Day']),
      ),
      window,
    );
    expect(r.holidays).toEqual([
      { from: '2026-05-01', to: '2026-05-01', name: 'Labour Day' },
      { from: '2026-12-24', to: '2026-12-26', name: 'Christmas' },
    ]);
    expect(r.skipped).toEqual([]);
  });

  it('expands yearly events within the window only', () => {
    const r = holidaysFromIcs(
      ics(
        event([
          'DTSTART;VALUE=DATE:20200101',
          'DTEND;VALUE=DATE:20200102',
          'RRULE:FREQ=YEARLY',
          'SUMMARY:New Year',
        ]),
      ),
      window,
    );
    expect(r.holidays.map((h) => h.from)).toEqual(['2026-01-01', '2027-01-01']);
  });

  it('closes the dates a timed event touches', () => {
    const r = holidaysFromIcs(
      ics(
        event(['DTSTART:20260610T130000Z', 'DTEND:20260611T100000Z', 'SUMMARY:Offsite']),
        event(['DTSTART:20260701T090000Z', 'DTEND:20260702T000000Z', 'SUMMARY:Training']),
      ),
      window,
    );
    expect(r.holidays).toEqual([
      { from: '2026-06-10', to: '2026-06-11', name: 'Offsite' },
      { from: '2026-07-01', to: '2026-07-01', name: 'Training' },
    ]);
  });

  it('refuses what is not iCalendar, with the reason', () => {
    expect(() => holidaysFromIcs('name,date\nChristmas,2026-12-25', window)).toThrow(IcsError);
  });
});
