import { type Copy, link, quote } from './copy.ts';
import type { NotifyEvent } from './notify-events.ts';

export const en: Record<NotifyEvent, Copy> = {
  return_requested: {
    subject: "We've received your return request {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      "Thanks for getting in touch. We've received your request to return items from order {{orderNumber}}. Your return number is {{rmaNumber}}.",
      'Items in this return:\n{{items}}',
      "We'll review your request and email you as soon as there's news. There's nothing you need to do right now.",
      {
        text: 'You can follow your return at any time here: {{trackingUrl}}',
        html: `<p>You can follow your return at any time on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: we've received your return request {{rmaNumber}} and will be in touch soon. Follow it here: {{trackingUrl}}",
  },
  return_approved: {
    subject: 'Good news: your return {{rmaNumber}} is approved',
    body: [
      'Hi {{customerName}},',
      "Good news! We've approved your return {{rmaNumber}} for order {{orderNumber}}.",
      'Items approved for return:\n{{items}}',
      'Please send the items back by {{deadline}}.',
      {
        text: 'Your return page has everything you need to send the package, including the shipping instructions: {{trackingUrl}}',
        html: `<p>Your ${link('return page')} has everything you need to send the package, including the shipping instructions.</p>`,
      },
      'Pack the items securely and keep your shipping receipt until your return is complete.',
    ],
    sms: '{{shopName}}: good news, your return {{rmaNumber}} is approved. Shipping instructions: {{trackingUrl}}',
  },
  return_approved_no_parcel: {
    subject: 'Good news: your return {{rmaNumber}} is approved',
    body: [
      'Hi {{customerName}},',
      "Good news! We've approved your return {{rmaNumber}} for order {{orderNumber}}, and there is nothing for you to send back.",
      '{{explanation}}',
      "We'll let you know as soon as your refund is on its way.",
      {
        text: 'You can follow your return here: {{trackingUrl}}',
        html: `<p>You can follow your return on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: good news, your return {{rmaNumber}} is approved and there is nothing to send back. Follow it: {{trackingUrl}}',
  },
  return_needs_review: {
    subject: "We're taking a closer look at your return {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      'Thanks for your patience. Before we can go ahead, our team needs to take a closer look at your return {{rmaNumber}} for order {{orderNumber}}.',
      '{{explanation}}',
      "This may take a little longer than usual, but you don't need to do anything. We'll email you as soon as we've decided.",
      {
        text: 'In the meantime, you can check the status of your return here: {{trackingUrl}}',
        html: `<p>In the meantime, you can check the status on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: our team is taking a closer look at your return {{rmaNumber}}. We will update you soon: {{trackingUrl}}',
  },
  return_rejected: {
    subject: "About your return {{rmaNumber}}: we couldn't approve it",
    body: [
      'Hi {{customerName}},',
      "We're sorry, but we couldn't approve your return {{rmaNumber}} for order {{orderNumber}}.",
      "Here's why: {{explanation}}",
      "If you think we got this wrong, or you have any questions, just reply to this email and we'll be glad to help.",
      {
        text: 'You can see the details on your return page: {{trackingUrl}}',
        html: `<p>You can see the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: sorry, we couldn't approve your return {{rmaNumber}}. See why and how to reach us: {{trackingUrl}}",
  },
  return_cancelled: {
    subject: 'Your return {{rmaNumber}} has been cancelled',
    body: [
      'Hi {{customerName}},',
      "Your return {{rmaNumber}} for order {{orderNumber}} has been cancelled, so there's no need to send anything back.",
      '{{explanation}}',
      "Changed your mind, or didn't mean to cancel? You're welcome to start a new return while your order is still eligible.",
      {
        text: 'You can still see the details on your return page: {{trackingUrl}}',
        html: `<p>You can still see the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your return {{rmaNumber}} has been cancelled. No need to send anything back. Details: {{trackingUrl}}',
  },
  return_in_transit: {
    subject: 'Your return {{rmaNumber}} is on its way to us',
    body: [
      'Hi {{customerName}},',
      'Your package is on its way back to us. Thanks for sending it!',
      'Carrier: {{carrier}}',
      'Tracking number: {{trackingNumber}}',
      "We'll let you know as soon as it arrives.",
      {
        text: 'Follow your return here: {{trackingUrl}}',
        html: `<p>You can follow your return on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: your return {{rmaNumber}} is on its way to us. We'll let you know when it arrives: {{trackingUrl}}",
  },
  return_received: {
    subject: "We've received your return {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      'Your package has arrived safely. Thank you!',
      "Next, we'll check the items in your return {{rmaNumber}}. Once that's done, we'll email you about what happens next.",
      {
        text: 'Follow your return here: {{trackingUrl}}',
        html: `<p>You can follow your return on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: your return {{rmaNumber}} has arrived. We'll check the items and update you: {{trackingUrl}}",
  },
  return_inspected: {
    subject: "We've checked the items in your return {{rmaNumber}}",
    body: [
      'Hi {{customerName}},',
      "We've finished checking the items in your return {{rmaNumber}}.",
      'Result: {{status}}',
      '{{explanation}}',
      "We're now getting the next step ready, and we'll email you as soon as it's under way.",
      {
        text: 'See the full result on your return page: {{trackingUrl}}',
        html: `<p>See the full result on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: we've checked the items in your return {{rmaNumber}}. See the result: {{trackingUrl}}",
  },
  refund_started: {
    subject: 'Your refund for return {{rmaNumber}} is on its way',
    body: [
      'Hi {{customerName}},',
      "We've started the refund for your return {{rmaNumber}}.",
      'Refund amount: {{refundAmount}}',
      'It goes back to your original payment method. Depending on your bank, it can take 5 to 10 business days to show up on your statement.',
      {
        text: 'You can follow your refund here: {{trackingUrl}}',
        html: `<p>You can follow your refund on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: we've started the refund for your return {{rmaNumber}}. Banks can take 5-10 business days. Details: {{trackingUrl}}",
  },
  refund_succeeded: {
    subject: 'Your refund for return {{rmaNumber}} is complete',
    body: [
      'Hi {{customerName}},',
      'Your refund for return {{rmaNumber}} is complete.',
      'Amount refunded: {{refundAmount}}',
      "If you don't see it on your statement yet, please give your bank a few more days. Thanks for shopping with {{shopName}}!",
      {
        text: 'You can see all the details on your return page: {{trackingUrl}}',
        html: `<p>You can see all the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your refund for return {{rmaNumber}} is complete. Thanks for your patience! Details: {{trackingUrl}}',
  },
  refund_delayed: {
    subject: 'Your refund for return {{rmaNumber}} is taking longer than expected',
    body: [
      'Hi {{customerName}},',
      "We're sorry: your refund for return {{rmaNumber}} is taking longer than we expected.",
      'Refund amount: {{refundAmount}}',
      '{{explanation}}',
      "We're on it, and you don't need to do anything. We'll email you as soon as it goes through.",
      {
        text: 'You can check on your refund here: {{trackingUrl}}',
        html: `<p>You can check on your refund on ${link('your return page')}.</p>`,
      },
    ],
    sms: "{{shopName}}: sorry, your refund for return {{rmaNumber}} is delayed. We're on it, no action needed. Updates: {{trackingUrl}}",
  },
  store_credit_issued: {
    subject: 'Your store credit for return {{rmaNumber}} is ready',
    body: [
      'Hi {{customerName}},',
      "We've added store credit to your account for your return {{rmaNumber}}.",
      'Credit added: {{refundAmount}}',
      "It's ready to use on your next order with {{shopName}}.",
      {
        text: 'You can see the details on your return page: {{trackingUrl}}',
        html: `<p>You can see the details on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your store credit for return {{rmaNumber}} is ready to use. Details: {{trackingUrl}}',
  },
  wallet_credited: {
    subject: 'The refund for return {{rmaNumber}} is in your wallet',
    body: [
      'Hi {{customerName}},',
      "We've put the refund for your return {{rmaNumber}} into your wallet with {{shopName}}.",
      'Added to your wallet: {{refundAmount}}',
      'It is there at once: spend it on your next order, or send it back to your original payment method from your return page whenever you like.',
      {
        text: 'Your balance and withdrawals: {{trackingUrl}}',
        html: `<p>See your balance and withdraw it on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: the refund for your return {{rmaNumber}} is in your wallet. Balance and withdrawals: {{trackingUrl}}',
  },
  replacement_shipped: {
    subject: 'Your replacement for return {{rmaNumber}} has shipped',
    body: [
      'Hi {{customerName}},',
      'Good news: your replacement for return {{rmaNumber}} is on its way!',
      'What we sent:\n{{items}}',
      'Carrier: {{carrier}}',
      'Tracking number: {{trackingNumber}}',
      {
        text: 'Follow it here: {{trackingUrl}}',
        html: `<p>You can follow it on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your replacement for return {{rmaNumber}} has shipped. Follow it here: {{trackingUrl}}',
  },
  return_closed: {
    subject: 'Your return {{rmaNumber}} is complete',
    body: [
      'Hi {{customerName}},',
      'Your return {{rmaNumber}} for order {{orderNumber}} is now complete and closed.',
      '{{explanation}}',
      "Thanks for your patience along the way. If anything doesn't look right, just reply to this email.",
      {
        text: 'You can still see the full history of your return here: {{trackingUrl}}',
        html: `<p>You can still see the full history on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: your return {{rmaNumber}} is complete. Thanks for your patience! Summary: {{trackingUrl}}',
  },
  staff_message: {
    subject: 'A message about your return {{rmaNumber}}',
    body: [
      'Hi {{customerName}},',
      'Our team sent you a message about your return {{rmaNumber}}:',
      { text: '{{message}}', html: quote('message') },
      {
        text: 'You can reply to this email or see the conversation on your return page: {{trackingUrl}}',
        html: `<p>You can reply to this email or see the conversation on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: you have a new message about your return {{rmaNumber}}. Read it here: {{trackingUrl}}',
  },
  digest: {
    subject: 'Updates on your return {{rmaNumber}}',
    body: [
      'Hi {{customerName}},',
      "Here's what has happened with your return {{rmaNumber}} for order {{orderNumber}}:",
      '{{changes}}',
      {
        text: 'See the latest on your return page: {{trackingUrl}}',
        html: `<p>See the latest on ${link('your return page')}.</p>`,
      },
    ],
    sms: '{{shopName}}: there are new updates on your return {{rmaNumber}}. See them here: {{trackingUrl}}',
  },
};
