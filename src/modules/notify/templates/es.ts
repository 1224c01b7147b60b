import { type Copy, link, quote } from './copy.ts';
import type { NotifyEvent } from './notify-events.ts';

// Neutral Spanish with tú, understood from Madrid to Mexico City; "Hola, Ana:" is the
// standard letter greeting. á/í/ó/ú are not in GSM-7, so Spanish SMS go out as UCS-2
// (70 chars a segment) and are kept within three segments.
export const es: Record<NotifyEvent, Copy> = {
  return_requested: {
    subject: 'Hemos recibido tu solicitud de devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Gracias por escribirnos. Hemos recibido tu solicitud para devolver artículos del pedido {{orderNumber}}. Tu número de devolución es {{rmaNumber}}.',
      'Artículos de esta devolución:\n{{items}}',
      'Revisaremos tu solicitud y te escribiremos en cuanto haya novedades. Por ahora no tienes que hacer nada.',
      {
        text: 'Puedes seguir tu devolución en cualquier momento aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en cualquier momento en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: recibimos tu solicitud de devolución {{rmaNumber}}. Te escribiremos pronto. Síguela aquí: {{trackingUrl}}',
  },
  return_approved: {
    subject: 'Buenas noticias: hemos aprobado tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      '¡Buenas noticias! Hemos aprobado tu devolución {{rmaNumber}} del pedido {{orderNumber}}.',
      'Artículos aprobados para devolver:\n{{items}}',
      'Envíanos los artículos antes del {{deadline}}.',
      {
        text: 'En la página de tu devolución encontrarás todo lo necesario para enviar el paquete, incluidas las instrucciones de envío: {{trackingUrl}}',
        html: `<p>En ${link('la página de tu devolución')} encontrarás todo lo necesario para enviar el paquete, incluidas las instrucciones de envío.</p>`,
      },
      'Embala bien los artículos y guarda el comprobante de envío hasta que la devolución esté completa.',
    ],
    sms: '{{shopName}}: ¡hemos aprobado tu devolución {{rmaNumber}}! Instrucciones de envío: {{trackingUrl}}',
  },
  return_approved_no_parcel: {
    subject: 'Buenas noticias: hemos aprobado tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      '¡Buenas noticias! Hemos aprobado tu devolución {{rmaNumber}} del pedido {{orderNumber}} y no tienes que enviarnos nada.',
      '{{explanation}}',
      'Te avisaremos en cuanto tu reembolso esté en camino.',
      {
        text: 'Puedes seguir tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: buenas noticias, hemos aprobado tu devolución {{rmaNumber}} y no tienes que enviar nada. Síguela: {{trackingUrl}}',
  },
  return_needs_review: {
    subject: 'Estamos revisando con más detalle tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Gracias por tu paciencia. Antes de continuar, nuestro equipo necesita revisar con más detalle tu devolución {{rmaNumber}} del pedido {{orderNumber}}.',
      '{{explanation}}',
      'Puede tardar un poco más de lo habitual, pero no tienes que hacer nada. Te escribiremos en cuanto tengamos una decisión.',
      {
        text: 'Mientras tanto, puedes consultar el estado de tu devolución aquí: {{trackingUrl}}',
        html: `<p>Mientras tanto, puedes consultar el estado en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: nuestro equipo está revisando tu devolución {{rmaNumber}}. Te avisaremos pronto: {{trackingUrl}}',
  },
  return_rejected: {
    subject: 'Sobre tu devolución {{rmaNumber}}: no hemos podido aprobarla',
    body: [
      'Hola, {{customerName}}:',
      'Lo sentimos, pero no hemos podido aprobar tu devolución {{rmaNumber}} del pedido {{orderNumber}}.',
      'El motivo: {{explanation}}',
      'Si crees que nos hemos equivocado o tienes alguna pregunta, responde a este correo y te ayudaremos con gusto.',
      {
        text: 'Puedes ver los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes ver los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: lo sentimos, no pudimos aprobar tu devolución {{rmaNumber}}. Motivo y contacto: {{trackingUrl}}',
  },
  return_cancelled: {
    subject: 'Tu devolución {{rmaNumber}} se ha cancelado',
    body: [
      'Hola, {{customerName}}:',
      'Tu devolución {{rmaNumber}} del pedido {{orderNumber}} se ha cancelado, así que no hace falta que nos envíes nada.',
      '{{explanation}}',
      '¿Has cambiado de opinión o la cancelaste sin querer? Puedes iniciar una nueva devolución mientras tu pedido siga dentro del plazo.',
      {
        text: 'Puedes seguir consultando los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes seguir consultando los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} se ha cancelado. No hace falta enviar nada. Detalles: {{trackingUrl}}',
  },
  return_in_transit: {
    subject: 'Tu devolución {{rmaNumber}} ya viene de camino',
    body: [
      'Hola, {{customerName}}:',
      'Tu paquete ya está de camino hacia nosotros. ¡Gracias por enviarlo!',
      'Transportista: {{carrier}}',
      'Número de seguimiento: {{trackingNumber}}',
      'Te avisaremos en cuanto llegue.',
      {
        text: 'Sigue tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} ya viene de camino. Te avisaremos cuando llegue: {{trackingUrl}}',
  },
  return_received: {
    subject: 'Hemos recibido tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Tu paquete ha llegado sin problemas. ¡Gracias!',
      'Ahora revisaremos los artículos de tu devolución {{rmaNumber}}. Cuando terminemos, te escribiremos para contarte los siguientes pasos.',
      {
        text: 'Sigue tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu devolución en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} ha llegado. Revisaremos los artículos y te avisaremos: {{trackingUrl}}',
  },
  return_inspected: {
    subject: 'Hemos revisado los artículos de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Ya hemos terminado de revisar los artículos de tu devolución {{rmaNumber}}.',
      'Resultado: {{status}}',
      '{{explanation}}',
      'Ahora estamos preparando el siguiente paso y te escribiremos en cuanto esté en marcha.',
      {
        text: 'Consulta el resultado completo en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Consulta el resultado completo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: ya revisamos los artículos de tu devolución {{rmaNumber}}. Mira el resultado: {{trackingUrl}}',
  },
  refund_started: {
    subject: 'El reembolso de tu devolución {{rmaNumber}} está en camino',
    body: [
      'Hola, {{customerName}}:',
      'Hemos iniciado el reembolso de tu devolución {{rmaNumber}}.',
      'Importe del reembolso: {{refundAmount}}',
      'Lo recibirás en el mismo método de pago que usaste. Según tu banco, puede tardar entre 5 y 10 días hábiles en aparecer en tu cuenta.',
      {
        text: 'Puedes seguir tu reembolso aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir tu reembolso en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: iniciamos el reembolso de tu devolución {{rmaNumber}}. Tu banco puede tardar 5-10 días hábiles. Detalles: {{trackingUrl}}',
  },
  refund_succeeded: {
    subject: 'Se ha completado el reembolso de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'El reembolso de tu devolución {{rmaNumber}} se ha completado.',
      'Importe reembolsado: {{refundAmount}}',
      'Si todavía no lo ves en tu cuenta, dale a tu banco unos días más. ¡Gracias por comprar en {{shopName}}!',
      {
        text: 'Puedes ver todos los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes ver todos los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: el reembolso de tu devolución {{rmaNumber}} se ha completado. ¡Gracias por tu paciencia! Detalles: {{trackingUrl}}',
  },
  refund_delayed: {
    subject: 'El reembolso de tu devolución {{rmaNumber}} está tardando más de lo previsto',
    body: [
      'Hola, {{customerName}}:',
      'Lo sentimos: el reembolso de tu devolución {{rmaNumber}} está tardando más de lo que esperábamos.',
      'Importe del reembolso: {{refundAmount}}',
      '{{explanation}}',
      'Ya nos estamos ocupando y no tienes que hacer nada. Te escribiremos en cuanto se complete.',
      {
        text: 'Puedes consultar tu reembolso aquí: {{trackingUrl}}',
        html: `<p>Puedes consultar tu reembolso en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: lo sentimos, el reembolso de tu devolución {{rmaNumber}} se está retrasando. Ya nos ocupamos: {{trackingUrl}}',
  },
  store_credit_issued: {
    subject: 'Ya tienes el saldo de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Hemos añadido saldo a tu cuenta por tu devolución {{rmaNumber}}.',
      'Saldo añadido: {{refundAmount}}',
      'Ya puedes usarlo en tu próximo pedido en {{shopName}}.',
      {
        text: 'Puedes ver los detalles en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes ver los detalles en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: ya puedes usar el saldo de tu devolución {{rmaNumber}}. Detalles: {{trackingUrl}}',
  },
  wallet_credited: {
    subject: 'El reembolso de tu devolución {{rmaNumber}} está en tu monedero',
    body: [
      'Hola, {{customerName}}:',
      'Hemos ingresado el reembolso de tu devolución {{rmaNumber}} en tu monedero de {{shopName}}.',
      'Añadido a tu monedero: {{refundAmount}}',
      'Ya está disponible: úsalo en tu próximo pedido o devuélvelo a tu método de pago original cuando quieras desde la página de tu devolución.',
      {
        text: 'Tu saldo y tus retiradas: {{trackingUrl}}',
        html: `<p>Consulta tu saldo y retíralo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: el reembolso de tu devolución {{rmaNumber}} está en tu monedero. Saldo y retiradas: {{trackingUrl}}',
  },
  replacement_shipped: {
    subject: 'Hemos enviado el reemplazo de tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      '¡Buenas noticias! El reemplazo de tu devolución {{rmaNumber}} ya está en camino.',
      'Lo que te enviamos:\n{{items}}',
      'Transportista: {{carrier}}',
      'Número de seguimiento: {{trackingNumber}}',
      {
        text: 'Síguelo aquí: {{trackingUrl}}',
        html: `<p>Puedes seguirlo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: hemos enviado el reemplazo de tu devolución {{rmaNumber}}. Síguelo aquí: {{trackingUrl}}',
  },
  return_closed: {
    subject: 'Tu devolución {{rmaNumber}} se ha completado',
    body: [
      'Hola, {{customerName}}:',
      'Tu devolución {{rmaNumber}} del pedido {{orderNumber}} se ha completado y cerrado.',
      '{{explanation}}',
      'Gracias por tu paciencia durante todo el proceso. Si algo no te cuadra, responde a este correo.',
      {
        text: 'Puedes seguir viendo el historial completo de tu devolución aquí: {{trackingUrl}}',
        html: `<p>Puedes seguir viendo el historial completo en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tu devolución {{rmaNumber}} se ha completado. ¡Gracias por tu paciencia! Resumen: {{trackingUrl}}',
  },
  staff_message: {
    subject: 'Un mensaje sobre tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Nuestro equipo te ha enviado un mensaje sobre tu devolución {{rmaNumber}}:',
      { text: '{{message}}', html: quote('message') },
      {
        text: 'Puedes responder a este correo o ver la conversación en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Puedes responder a este correo o ver la conversación en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: tienes un mensaje nuevo sobre tu devolución {{rmaNumber}}. Léelo aquí: {{trackingUrl}}',
  },
  digest: {
    subject: 'Novedades sobre tu devolución {{rmaNumber}}',
    body: [
      'Hola, {{customerName}}:',
      'Esto es lo que ha pasado con tu devolución {{rmaNumber}} del pedido {{orderNumber}}:',
      '{{changes}}',
      {
        text: 'Consulta lo último en la página de tu devolución: {{trackingUrl}}',
        html: `<p>Consulta lo último en ${link('la página de tu devolución')}.</p>`,
      },
    ],
    sms: '{{shopName}}: hay novedades sobre tu devolución {{rmaNumber}}. Consúltalas aquí: {{trackingUrl}}',
  },
};
