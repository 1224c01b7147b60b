import { type Copy, link, quote } from './copy.ts';
import type { NotifyEvent } from './notify-events.ts';

// Polite 您 throughout, as customer service writes in mainland China. A space separates Han
// characters from a placeholder (the values are Latin: RMA-1042), never a CJK punctuation mark.
// SMS copy opens with the 【signature】 that Chinese carriers expect.
export const zhCN: Record<NotifyEvent, Copy> = {
  return_requested: {
    subject: '我们已收到您的退货申请（{{rmaNumber}}）',
    body: [
      '{{customerName}}，您好：',
      '感谢您联系我们。我们已收到您对订单 {{orderNumber}} 的退货申请，退货单号为 {{rmaNumber}}。',
      '本次退货的商品：\n{{items}}',
      '我们会尽快审核，一有进展就会发邮件通知您。目前您无需进行任何操作。',
      {
        text: '您可以随时在这里查看退货进度：{{trackingUrl}}',
        html: `<p>您可以随时在${link('退货详情页')}查看进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】我们已收到您的退货申请 {{rmaNumber}}，审核后会尽快通知您。查看进度：{{trackingUrl}}',
  },
  return_approved: {
    subject: '好消息：您的退货（{{rmaNumber}}）已获批准',
    body: [
      '{{customerName}}，您好：',
      '好消息！您订单 {{orderNumber}} 的退货 {{rmaNumber}} 已获批准。',
      '已批准退货的商品：\n{{items}}',
      '请于{{deadline}}前寄回商品。',
      {
        text: '寄件所需的一切（包括寄回说明）都在您的退货详情页：{{trackingUrl}}',
        html: `<p>寄件所需的一切（包括寄回说明）都在您的${link('退货详情页')}。</p>`,
      },
      '请妥善包装商品，并保留寄件凭证，直到退货全部完成。',
    ],
    sms: '【{{shopName}}】好消息！您的退货 {{rmaNumber}} 已获批准。寄回说明：{{trackingUrl}}',
  },
  return_approved_no_parcel: {
    subject: '好消息：您的退货（{{rmaNumber}}）已获批准',
    body: [
      '{{customerName}}，您好：',
      '好消息！订单 {{orderNumber}} 的退货 {{rmaNumber}} 已获批准，您无需寄回任何商品。',
      '{{explanation}}',
      '退款一发出，我们就会通知您。',
      {
        text: '在这里查看退货进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看退货进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】好消息，您的退货 {{rmaNumber}} 已获批准，无需寄回商品。查看进度：{{trackingUrl}}',
  },
  return_needs_review: {
    subject: '我们正在进一步审核您的退货（{{rmaNumber}}）',
    body: [
      '{{customerName}}，您好：',
      '感谢您的耐心等待。您订单 {{orderNumber}} 的退货 {{rmaNumber}} 需要我们的团队进一步核实后才能继续处理。',
      '{{explanation}}',
      '这可能比平时多花一点时间，但您无需进行任何操作。我们一有结果就会发邮件通知您。',
      {
        text: '在此期间，您可以在这里查看退货状态：{{trackingUrl}}',
        html: `<p>在此期间，您可以在${link('退货详情页')}查看状态。</p>`,
      },
    ],
    sms: '【{{shopName}}】我们正在进一步审核您的退货 {{rmaNumber}}，有结果会尽快通知您：{{trackingUrl}}',
  },
  return_rejected: {
    subject: '关于您的退货（{{rmaNumber}}）：很抱歉，未能通过审核',
    body: [
      '{{customerName}}，您好：',
      '很抱歉，您订单 {{orderNumber}} 的退货 {{rmaNumber}} 未能通过审核。',
      '原因：{{explanation}}',
      '如果您认为我们的判断有误，或有任何疑问，直接回复这封邮件即可，我们很乐意为您解答。',
      {
        text: '您可以在退货详情页查看具体信息：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看具体信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】很抱歉，您的退货 {{rmaNumber}} 未能通过审核。查看原因及联系方式：{{trackingUrl}}',
  },
  return_cancelled: {
    subject: '您的退货（{{rmaNumber}}）已取消',
    body: [
      '{{customerName}}，您好：',
      '您订单 {{orderNumber}} 的退货 {{rmaNumber}} 已取消，无需再寄回任何商品。',
      '{{explanation}}',
      '如果您改变了主意，或是不小心取消了，只要订单仍在退货期限内，您可以重新发起退货。',
      {
        text: '您仍可在退货详情页查看相关信息：{{trackingUrl}}',
        html: `<p>您仍可在${link('退货详情页')}查看相关信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 已取消，无需寄回商品。详情：{{trackingUrl}}',
  },
  return_in_transit: {
    subject: '您的退货（{{rmaNumber}}）正在寄回途中',
    body: [
      '{{customerName}}，您好：',
      '您的包裹正在寄回给我们的路上，感谢您寄回商品！',
      '承运商：{{carrier}}',
      '运单号：{{trackingNumber}}',
      '包裹一到，我们就会通知您。',
      {
        text: '在这里跟踪退货进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}跟踪进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 正在寄回途中，到货后我们会通知您：{{trackingUrl}}',
  },
  return_received: {
    subject: '我们已收到您的退货（{{rmaNumber}}）',
    body: [
      '{{customerName}}，您好：',
      '您的包裹已安全送达，谢谢您！',
      '接下来，我们会检查退货 {{rmaNumber}} 中的商品。检查完成后，我们会发邮件告诉您下一步安排。',
      {
        text: '在这里查看退货进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 已送达，我们检查商品后会通知您：{{trackingUrl}}',
  },
  return_inspected: {
    subject: '您的退货（{{rmaNumber}}）已完成检查',
    body: [
      '{{customerName}}，您好：',
      '我们已检查完您退货 {{rmaNumber}} 中的商品。',
      '检查结果：{{status}}',
      '{{explanation}}',
      '我们正在安排下一步，开始处理后会第一时间发邮件通知您。',
      {
        text: '在退货详情页查看完整结果：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看完整结果。</p>`,
      },
    ],
    sms: '【{{shopName}}】您退货 {{rmaNumber}} 中的商品已检查完毕，查看结果：{{trackingUrl}}',
  },
  refund_started: {
    subject: '您的退货（{{rmaNumber}}）退款已发起',
    body: [
      '{{customerName}}，您好：',
      '我们已为您的退货 {{rmaNumber}} 发起退款。',
      '退款金额：{{refundAmount}}',
      '款项将退回您的原支付方式。视银行而定，可能需要5至10个工作日才会到账。',
      {
        text: '在这里查看退款进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看退款进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 退款已发起，银行到账约需5至10个工作日。详情：{{trackingUrl}}',
  },
  refund_succeeded: {
    subject: '您的退货（{{rmaNumber}}）退款已完成',
    body: [
      '{{customerName}}，您好：',
      '您的退货 {{rmaNumber}} 退款已完成。',
      '退款金额：{{refundAmount}}',
      '如果账单上暂时还看不到这笔款项，请再耐心等几天。感谢您选择 {{shopName}}！',
      {
        text: '在退货详情页查看全部信息：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看全部信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 退款已完成，感谢您的耐心等待！详情：{{trackingUrl}}',
  },
  refund_delayed: {
    subject: '您的退货（{{rmaNumber}}）退款比预期慢了一些',
    body: [
      '{{customerName}}，您好：',
      '很抱歉，您的退货 {{rmaNumber}} 的退款比我们预期的要慢。',
      '退款金额：{{refundAmount}}',
      '{{explanation}}',
      '我们正在跟进处理，您无需进行任何操作。退款一完成，我们就会发邮件通知您。',
      {
        text: '在这里查看退款进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看退款进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】很抱歉，您的退货 {{rmaNumber}} 退款有所延迟。我们正在处理，您无需操作：{{trackingUrl}}',
  },
  store_credit_issued: {
    subject: '您的退货（{{rmaNumber}}）店铺余额已到账',
    body: [
      '{{customerName}}，您好：',
      '我们已将退货 {{rmaNumber}} 对应的店铺余额存入您的账户。',
      '到账金额：{{refundAmount}}',
      '下次在 {{shopName}} 购物时即可使用。',
      {
        text: '在退货详情页查看具体信息：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看具体信息。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 对应的店铺余额已到账，可直接使用。详情：{{trackingUrl}}',
  },
  wallet_credited: {
    subject: '您的退货（{{rmaNumber}}）退款已存入钱包',
    body: [
      '{{customerName}}，您好：',
      '我们已将退货 {{rmaNumber}} 的退款存入您在 {{shopName}} 的钱包。',
      '存入钱包：{{refundAmount}}',
      '款项即时到账：您可以用于下一笔订单，也可以随时在退货详情页申请退回原支付方式。',
      {
        text: '查看余额并申请提现：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看余额并申请提现。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 退款已存入钱包。查看余额与提现：{{trackingUrl}}',
  },
  replacement_shipped: {
    subject: '您的退货（{{rmaNumber}}）换货已发出',
    body: [
      '{{customerName}}，您好：',
      '好消息！您退货 {{rmaNumber}} 的换货商品已发出。',
      '换货商品：\n{{items}}',
      '承运商：{{carrier}}',
      '运单号：{{trackingNumber}}',
      {
        text: '在这里跟踪进度：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}跟踪进度。</p>`,
      },
    ],
    sms: '【{{shopName}}】您退货 {{rmaNumber}} 的换货已发出，查看进度：{{trackingUrl}}',
  },
  return_closed: {
    subject: '您的退货（{{rmaNumber}}）已完成',
    body: [
      '{{customerName}}，您好：',
      '您订单 {{orderNumber}} 的退货 {{rmaNumber}} 已全部完成并关闭。',
      '{{explanation}}',
      '感谢您一路以来的耐心。如有任何不对的地方，直接回复这封邮件即可。',
      {
        text: '您仍可在这里查看退货的完整记录：{{trackingUrl}}',
        html: `<p>您仍可在${link('退货详情页')}查看完整记录。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 已完成，感谢您的耐心！查看记录：{{trackingUrl}}',
  },
  staff_message: {
    subject: '关于您的退货（{{rmaNumber}}）的新消息',
    body: [
      '{{customerName}}，您好：',
      '我们的团队就您的退货 {{rmaNumber}} 给您发来一条消息：',
      { text: '{{message}}', html: quote('message') },
      {
        text: '您可以直接回复这封邮件，或在退货详情页查看对话：{{trackingUrl}}',
        html: `<p>您可以直接回复这封邮件，或在${link('退货详情页')}查看对话。</p>`,
      },
    ],
    sms: '【{{shopName}}】关于您的退货 {{rmaNumber}}，您有一条新消息，点击查看：{{trackingUrl}}',
  },
  digest: {
    subject: '您的退货（{{rmaNumber}}）有新进展',
    body: [
      '{{customerName}}，您好：',
      '您订单 {{orderNumber}} 的退货 {{rmaNumber}} 有以下新进展：',
      '{{changes}}',
      {
        text: '在退货详情页查看最新情况：{{trackingUrl}}',
        html: `<p>您可以在${link('退货详情页')}查看最新情况。</p>`,
      },
    ],
    sms: '【{{shopName}}】您的退货 {{rmaNumber}} 有新进展，点击查看：{{trackingUrl}}',
  },
};
