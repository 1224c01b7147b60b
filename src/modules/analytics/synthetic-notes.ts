import { pick } from './synthetic-random.ts';

/** What synthetic customers write: the planted defects' phrases and the ordinary notes per reason. */

/** A defect to plant: its reason, the phrases a detector should find, notes in English and Chinese. */
type Issue = { reasonCode: string; phrases: string[]; en: string[]; zh: string[] };

export const ISSUES: Record<string, Issue[]> = {
  apparel: [
    {
      reasonCode: 'defective',
      phrases: ['zipper broke', '拉链坏了'],
      en: [
        'The zipper broke after two days.',
        'zipper broke the first time I wore it',
        'Zipper broke, cannot close it.',
      ],
      zh: ['拉链坏了，拉不上。', '穿了一次拉链坏了', '拉链坏了，质量太差'],
    },
    {
      reasonCode: 'defective',
      phrases: ['seam ripped', '开线了'],
      en: ['The seam ripped at the shoulder.', 'seam ripped after one wash'],
      zh: ['肩膀那里开线了', '洗了一次就开线了'],
    },
  ],
  shoes: [
    {
      reasonCode: 'defective',
      phrases: ['sole came off', '鞋底脱胶'],
      en: ['The sole came off after a week.', 'sole came off on the left shoe'],
      zh: ['鞋底脱胶了', '穿了一周鞋底脱胶'],
    },
  ],
  electronics: [
    {
      reasonCode: 'defective',
      phrases: ['battery drains', '电池不耐用'],
      en: ['The battery drains in an hour.', 'battery drains overnight even when off'],
      zh: ['电池不耐用，一小时就没电', '电池不耐用，充不满'],
    },
    {
      reasonCode: 'defective',
      phrases: ['screen flickers', '屏幕闪烁'],
      en: ['The screen flickers constantly.', 'screen flickers when charging'],
      zh: ['屏幕闪烁，看不清', '充电时屏幕闪烁'],
    },
  ],
  home: [
    {
      reasonCode: 'damaged',
      phrases: ['arrived cracked', '到货有裂痕'],
      en: ['It arrived cracked on the side.', 'arrived cracked, the box was fine'],
      zh: ['到货有裂痕', '收到时到货有裂痕，包装完好'],
    },
  ],
  beauty: [
    {
      reasonCode: 'not_as_described',
      phrases: ['caused a rash', '过敏起疹子'],
      en: ['It caused a rash on my face.', 'caused a rash within a day'],
      zh: ['用了以后过敏起疹子', '过敏起疹子了'],
    },
  ],
};

export function plantedNote(rnd: () => number, issue: { en: string[]; zh: string[] }): string | null {
  const r = rnd();
  if (r < 0.15) return null;
  return r < 0.65 ? pick(rnd, issue.en) : pick(rnd, issue.zh);
}

const NOTES: Record<string, { en: string[]; zh: string[]; es: string[] }> = {
  wrong_size: {
    en: [
      'Too small, I need a size up.',
      'The {noun} runs large.',
      'Does not fit well around the waist.',
      'Ordered my usual size but it is too tight.',
    ],
    zh: ['尺码偏小', '太大了，不合身', '尺寸不合适，想换大一号'],
    es: ['Me queda pequeño.', 'La talla es demasiado grande.'],
  },
  changed_mind: {
    en: [
      'Changed my mind.',
      'Found a better price elsewhere.',
      'No longer need the {noun}.',
      'Bought it as a gift, they did not want it.',
    ],
    zh: ['不想要了', '买重复了', '在别处找到更便宜的'],
    es: ['Ya no lo necesito.', 'Cambié de opinión.'],
  },
  not_as_described: {
    en: [
      'The colour is different from the photos.',
      'Material feels cheaper than described.',
      'The {noun} looks nothing like the picture.',
    ],
    zh: ['颜色和图片不一样', '材质和描述不符', '实物和图片差别很大'],
    es: ['El color no es como en la foto.', 'No es como se describe.'],
  },
  defective: {
    en: [
      'Stopped working after a few days.',
      'The {noun} is faulty.',
      'Does not turn on.',
      'A button is stuck.',
    ],
    zh: ['用了几天就坏了', '质量有问题', '无法开机'],
    es: ['Dejó de funcionar.', 'Viene defectuoso.'],
  },
  damaged: {
    en: ['The box was crushed and the {noun} is scratched.', 'Arrived with a dent.', 'Damaged in shipping.'],
    zh: ['快递压坏了', '收到时有划痕', '包装破损，东西也坏了'],
    es: ['Llegó dañado.', 'La caja venía rota.'],
  },
  wrong_item: {
    en: ['I received a different {noun}.', 'Wrong colour sent.', 'Not what I ordered.'],
    zh: ['发错货了', '颜色发错了'],
    es: ['Me enviaron otro artículo.'],
  },
  arrived_late: {
    en: ['Arrived after the event I needed it for.', 'Took too long to arrive.'],
    zh: ['物流太慢了', '到得太晚了'],
    es: ['Llegó demasiado tarde.'],
  },
};

const OPENERS_EN = ['', '', 'Unfortunately, ', 'Sadly ', 'Hi, ', ''];
const CLOSERS_EN = ['', '', ' Please refund.', ' Thanks.', ' Very disappointed.', ''];
const CLOSERS_ZH = ['', '', '，请退款', '，很失望', '。谢谢'];

export function noteFor(rnd: () => number, reason: string, noun: string): string | null {
  const set = NOTES[reason];
  const r = rnd();
  if (!set || r < 0.4) return null;
  const lang = r < 0.82 ? 'en' : r < 0.94 ? 'zh' : 'es';
  const body = pick(rnd, set[lang]).replace('{noun}', noun);
  if (lang === 'en') {
    const opener = pick(rnd, OPENERS_EN);
    return `${opener}${opener ? body[0]!.toLowerCase() + body.slice(1) : body}${pick(rnd, CLOSERS_EN)}`;
  }
  return lang === 'zh' ? `${body}${pick(rnd, CLOSERS_ZH)}` : body;
}
