import { describe, expect, it } from 'vitest';
import { claimMessages, claimStaffNotice, whenEn } from './claim-messages.ts';

describe('claimMessages', () => {
  const base = {
    kind: 'return' as const,
    platformOrderRef: 'TB-1',
    title: '羽绒服',
    quantity: 2,
    reasonCode: 'qc_failed',
    reasonLabel: 'It failed quality check',
    amount: 59_800,
    currency: 'CNY',
    qcAt: '2026-03-02T08:00:00Z',
    qcPhotos: 2,
    deadlineAt: '2026-03-08T08:00:00Z',
    sellerFault: true,
  };

  it('writes the seller a return request in Chinese with the order, amount, QC date and deadline, and the same in English', () => {
    const m = claimMessages(base);
    expect(m.zh).toContain('订单号：TB-1');
    expect(m.zh).toContain('仓库质检不合格');
    expect(m.zh).toContain('退货运费由卖家承担');
    expect(m.zh).toContain('2026年3月2日');
    expect(m.zh).toContain('2026年3月8日');
    expect(m.zh).toMatch(/598/);
    expect(m.en).toContain('Order TB-1');
    expect(m.en).toContain('2026-03-08');
    expect(m.en).toContain('2 warehouse QC photos taken on 2026-03-02 are attached.');
  });

  it('says photos are attached only when the warehouse took some', () => {
    const m = claimMessages({ ...base, qcPhotos: 0 });
    expect(m.en).not.toContain('attached');
    expect(m.en).toContain('Our warehouse checked it on 2026-03-02.');
    expect(m.zh).not.toContain('见附件');
    expect(m.zh).toContain('仓库已于 2026年3月2日 质检。');
    expect(claimMessages({ ...base, qcPhotos: 1 }).en).toContain(
      'The warehouse QC photo taken on 2026-03-02 is attached.',
    );
  });

  it('asks to cancel before shipping, and falls back to the reason label for unknown codes', () => {
    const m = claimMessages({
      ...base,
      kind: 'cancellation',
      reasonCode: 'odd',
      reasonLabel: 'Odd reason',
      qcAt: null,
      deadlineAt: null,
      sellerFault: false,
    });
    expect(m.zh).toContain('申请取消订单');
    expect(m.zh).toContain('因Odd reason');
    expect(m.zh).not.toContain('质检照片');
    expect(m.en).toContain('please do not ship');
  });

  it('gives staff moments in words, and says where an open claim stood', () => {
    expect(whenEn('2026-03-08T08:05:00Z')).toBe('8 March 2026, 08:05 UTC');
    const notice = claimStaffNotice(
      {
        id: 'clm_1',
        returnId: 'ret_1',
        kind: 'return',
        seller: 'Shop A',
        platformOrderRef: 'TB-1',
        currency: 'CNY',
        amountExpected: 1000,
        deadlineAt: '2026-03-08T08:05:00Z',
        status: 'draft',
      },
      'at_risk',
    );
    expect(notice.body).toContain('8 March 2026, 08:05 UTC');
    expect(notice.body).toContain('not been sent to the seller');
    expect(notice.body).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });
});
