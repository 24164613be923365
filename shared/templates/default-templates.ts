/**
 * The default pt-BR templates: one per default cadence step and channel (SMS, WhatsApp, e-mail,
 * visit script), plus a privacy-safe one per channel. The tone follows the seed articles: start
 * impersonal and light ("um lembrete", "pode ter sido um esquecimento"), listen and offer solutions
 * before anything else, mention the discount only at the late steps as an exception, and state the
 * legal next step plainly, with dates, never as a threat. Template ids are `<stepId>.<channel>`, which
 * lets the cadence swap a reminder to the debtor's preferred channel. SMS bodies are written with
 * accents like the rest; the renderer folds them to GSM-7 (see `toGsm7`).
 */
import type { Channel, Template } from './template.schema';

/** Confirming identity first keeps the debt away from relatives and neighbours (CDC art. 42, LGPD). */
const CONFIRM_IDENTITY =
  '2. Confirme que está falando com {{debtor_name}}. Se não for, não comente o assunto: use o roteiro sem exposição.';

export const DEFAULT_TEMPLATES: readonly Template[] = [
  // D-3: preventive reminder, before anything is late.
  {
    id: 'd-3.sms',
    stepId: 'd-3',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}! Lembrete amigável: sua conta de {{amount_due}} vence em {{due_date}}. Para pagar: {{payment_link}}. Se já pagou, desconsidere.',
  },
  {
    id: 'd-3.whatsapp',
    stepId: 'd-3',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}, tudo bem? Aqui é da {{creditor_name}}.\n\nPassando só para lembrar que a sua conta de {{amount_due}} vence em {{due_date}}. Para facilitar, segue o PIX copia e cola:\n\n{{pix_copy_paste}}\n\nSe já pagou, é só desconsiderar. Obrigado pela preferência!',
  },
  {
    id: 'd-3.email',
    stepId: 'd-3',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Lembrete: sua conta vence em {{due_date}}',
    body: 'Olá, {{debtor_first_name}},\n\nEste é um lembrete amigável da {{creditor_name}}: a sua conta referente a {{debt_reference}}, no valor de {{amount_due}}, vence em {{due_date}}.\n\nVocê pode pagar pelo link {{payment_link}} ou com o PIX copia e cola abaixo:\n{{pix_copy_paste}}\n\nSe o pagamento já foi feito, por favor desconsidere esta mensagem.\n\nObrigado pela confiança,\nEquipe {{creditor_name}}',
  },
  {
    id: 'd-3.visit',
    stepId: 'd-3',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "Passei só para lembrar que a sua conta de {{amount_due}} vence em {{due_date}}."\n4. Ofereça o pagamento agora pelo PIX (QR Code no aplicativo) ou até o vencimento.\n5. Agradeça a atenção e registre a visita.`,
  },

  // D0: due day.
  {
    id: 'd0.sms',
    stepId: 'd0',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}. Hoje é o vencimento da sua conta de {{amount_due}}. Para pagar: {{payment_link}}. Se já pagou, obrigado e desconsidere.',
  },
  {
    id: 'd0.whatsapp',
    stepId: 'd0',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}! Aqui é da {{creditor_name}}.\n\nHoje, {{due_date}}, é o vencimento da sua conta de {{amount_due}}. Se ajudar, segue o PIX copia e cola:\n\n{{pix_copy_paste}}\n\nSe já pagou, obrigado e desconsidere esta mensagem.',
  },
  {
    id: 'd0.email',
    stepId: 'd0',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Sua conta vence hoje ({{due_date}})',
    body: 'Olá, {{debtor_first_name}},\n\nHoje é o vencimento da sua conta referente a {{debt_reference}}, no valor de {{amount_due}}.\n\nPara pagar, use o link {{payment_link}} ou o PIX copia e cola:\n{{pix_copy_paste}}\n\nSe já pagou, obrigado e desconsidere esta mensagem.\n\nAbraços,\nEquipe {{creditor_name}}',
  },
  {
    id: 'd0.visit',
    stepId: 'd0',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "Hoje é o vencimento da sua conta de {{amount_due}}. Se quiser, já pode pagar comigo pelo PIX."\n4. Mostre o QR Code no aplicativo; se preferir pagar depois, anote a data combinada.\n5. Agradeça e registre a visita.`,
  },

  // D+1: gentle, assumes a simple oversight.
  {
    id: 'd+1.sms',
    stepId: 'd+1',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}. Ainda não identificamos o pagamento da conta de {{amount_due}} que venceu em {{due_date}}. Para pagar: {{payment_link}}. Se já pagou, desconsidere.',
  },
  {
    id: 'd+1.whatsapp',
    stepId: 'd+1',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}, tudo bem? Aqui é da {{creditor_name}}.\n\nAinda não identificamos o pagamento da sua conta de {{amount_due}}, que venceu em {{due_date}}. Pode ter sido só um esquecimento, acontece com todo mundo.\n\nSegue o PIX copia e cola para facilitar:\n\n{{pix_copy_paste}}\n\nSe já pagou, é só desconsiderar.',
  },
  {
    id: 'd+1.email',
    stepId: 'd+1',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Não identificamos o pagamento de {{due_date}}',
    body: 'Olá, {{debtor_first_name}},\n\nAinda não identificamos o pagamento da sua conta referente a {{debt_reference}}, no valor de {{amount_due}}, que venceu em {{due_date}}. Pode ter sido só um esquecimento.\n\nPara pagar, use o link {{payment_link}} ou o PIX copia e cola:\n{{pix_copy_paste}}\n\nSe o pagamento já foi feito, por favor desconsidere esta mensagem.\n\nAbraços,\nEquipe {{creditor_name}}',
  },
  {
    id: 'd+1.visit',
    stepId: 'd+1',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "A sua conta de {{amount_due}} venceu ontem e ainda não identificamos o pagamento. Pode ter sido um esquecimento."\n4. Ofereça o PIX na hora ou combine uma data; se já pagou, peça o comprovante e registre.\n5. Agradeça e registre a visita.`,
  },

  // D+5: first follow-up with the itemised amount, door open to talk.
  {
    id: 'd+5.sms',
    stepId: 'd+5',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: '{{debtor_first_name}}, sua conta vencida em {{due_date}} está em aberto. Valor atualizado: {{amount_due}}. Pague em {{payment_link}} ou responda se precisar conversar.',
  },
  {
    id: 'd+5.whatsapp',
    stepId: 'd+5',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}.\n\nA sua conta que venceu em {{due_date}} continua em aberto. O valor atualizado é {{amount_due}} (original {{original_amount}}, multa {{fine_amount}} e juros {{interest_amount}}).\n\nSe estiver passando por alguma dificuldade, responda esta mensagem: a gente conversa e encontra uma saída.\n\nPIX copia e cola:\n{{pix_copy_paste}}',
  },
  {
    id: 'd+5.email',
    stepId: 'd+5',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Sua conta de {{due_date}} está em aberto',
    body: 'Olá, {{debtor_first_name}},\n\nA sua conta referente a {{debt_reference}}, vencida em {{due_date}}, continua em aberto. Segue o valor atualizado:\n\n- Valor original: {{original_amount}}\n- Multa: {{fine_amount}}\n- Juros de mora: {{interest_amount}}\n- Total: {{amount_due}}\n\nPara pagar, use o link {{payment_link}} ou o PIX copia e cola:\n{{pix_copy_paste}}\n\nSe estiver com alguma dificuldade, responda este e-mail. Queremos ajudar a encontrar uma forma de resolver.\n\nAtenciosamente,\nEquipe {{creditor_name}}',
  },
  {
    id: 'd+5.visit',
    stepId: 'd+5',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "A sua conta que venceu em {{due_date}} continua em aberto. Hoje o valor está em {{amount_due}}."\n4. Pergunte se aconteceu algo e escute. Ofereça o PIX na hora ou combine uma data para o pagamento.\n5. Registre o resultado: pagamento, promessa, ausente ou recusa.`,
  },

  // D+10: personal contact to understand what happened.
  {
    id: 'd+10.sms',
    stepId: 'd+10',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}, aqui é {{collector_name}}. Sua conta de {{due_date}} segue em aberto ({{amount_due}}). Aconteceu algo? Responda e vamos achar uma solução juntos.',
  },
  {
    id: 'd+10.whatsapp',
    stepId: 'd+10',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}, aqui é {{collector_name}}, da {{creditor_name}}.\n\nEstou entrando em contato sobre a sua conta que venceu em {{due_date}}, hoje em {{amount_due}}. Aconteceu alguma coisa? Queremos entender a sua situação e achar a melhor forma de resolver.\n\nPode me responder por aqui quando for melhor para você.',
  },
  {
    id: 'd+10.email',
    stepId: 'd+10',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Podemos ajudar com a sua conta de {{due_date}}?',
    body: 'Olá, {{debtor_first_name}},\n\nAqui é {{collector_name}}, da {{creditor_name}}. A sua conta referente a {{debt_reference}}, que venceu em {{due_date}}, continua em aberto, hoje no valor de {{amount_due}}.\n\nSabemos que imprevistos acontecem. Se algo mudou, responda este e-mail ou ligue para {{creditor_phone}}: queremos entender e encontrar junto com você a melhor forma de pagamento.\n\nSe preferir pagar agora: {{payment_link}}\n\nAtenciosamente,\n{{collector_name}}',
  },
  {
    id: 'd+10.visit',
    stepId: 'd+10',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "Vim conversar sobre a conta que venceu em {{due_date}}, hoje em {{amount_due}}. Aconteceu alguma coisa?"\n4. Escute sem pressa e sem julgar. Se houver dificuldade, anote a situação para a proposta de acordo.\n5. Registre o resultado: pagamento, promessa com data, ausente ou recusa.`,
  },

  // D+15: negotiation offer (installments), still no discount.
  {
    id: 'd+15.sms',
    stepId: 'd+15',
    channel: 'sms',
    tone: 'neutral',
    privacySafe: false,
    body: '{{debtor_first_name}}, podemos parcelar sua conta de {{amount_due}} em {{installment_count}}x de {{installment_amount}}. Quer combinar? Responda esta mensagem ou acesse {{payment_link}}.',
  },
  {
    id: 'd+15.whatsapp',
    stepId: 'd+15',
    channel: 'whatsapp',
    tone: 'neutral',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}.\n\nQueremos facilitar: a sua conta vencida em {{due_date}}, hoje em {{amount_due}}, pode ser parcelada em {{installment_count}}x de {{installment_amount}}.\n\nSe fizer sentido para você, responda esta mensagem que combinamos as datas. Se preferir outra condição, conte pra gente o que cabe no seu orçamento.',
  },
  {
    id: 'd+15.email',
    stepId: 'd+15',
    channel: 'email',
    tone: 'neutral',
    privacySafe: false,
    subject: 'Uma proposta de parcelamento para a sua conta',
    body: 'Olá, {{debtor_first_name}},\n\nA sua conta referente a {{debt_reference}}, vencida em {{due_date}}, está hoje em {{amount_due}}.\n\nPara facilitar, propomos o parcelamento em {{installment_count}}x de {{installment_amount}}. Se fizer sentido, responda este e-mail ou ligue para {{creditor_phone}} e combinamos as datas. Se outra condição funcionar melhor para você, conte pra gente.\n\nAtenciosamente,\nEquipe {{creditor_name}}',
  },
  {
    id: 'd+15.visit',
    stepId: 'd+15',
    channel: 'visit',
    tone: 'neutral',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "A sua conta está hoje em {{amount_due}}. Podemos parcelar em {{installment_count}}x de {{installment_amount}}."\n4. Se a parcela não couber, pergunte quanto cabe e registre a proposta dentro dos limites da política.\n5. Registre o acordo, a promessa ou o motivo da recusa.`,
  },

  // D+30: the discount unlocks, offered as an exception.
  {
    id: 'd+30.sms',
    stepId: 'd+30',
    channel: 'sms',
    tone: 'neutral',
    privacySafe: false,
    body: '{{debtor_first_name}}, condição especial: quite sua conta de {{amount_due}} por {{discounted_amount}} até {{discount_until}}. Pague em {{payment_link}} ou responda para conversar.',
  },
  {
    id: 'd+30.whatsapp',
    stepId: 'd+30',
    channel: 'whatsapp',
    tone: 'neutral',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}.\n\nConseguimos uma condição especial para você colocar a conta em dia: dos {{amount_due}} atuais, damos {{discount_amount}} de desconto, e você paga {{discounted_amount}} até {{discount_until}}.\n\nÉ uma condição excepcional, pensada para ajudar neste momento. PIX copia e cola com o valor com desconto:\n\n{{pix_copy_paste}}\n\nSe preferir parcelar, responda esta mensagem que a gente conversa.',
  },
  {
    id: 'd+30.email',
    stepId: 'd+30',
    channel: 'email',
    tone: 'neutral',
    privacySafe: false,
    subject: 'Condição especial para quitar sua conta até {{discount_until}}',
    body: 'Olá, {{debtor_first_name}},\n\nA sua conta referente a {{debt_reference}}, vencida em {{due_date}}, está hoje em {{amount_due}}.\n\nPara ajudar você a colocar tudo em dia, oferecemos uma condição excepcional: {{discount_amount}} de desconto, pagando {{discounted_amount}} até {{discount_until}}.\n\nPague pelo link {{payment_link}} ou com o PIX copia e cola:\n{{pix_copy_paste}}\n\nSe preferir parcelar, responda este e-mail ou ligue para {{creditor_phone}}.\n\nAtenciosamente,\nEquipe {{creditor_name}}',
  },
  {
    id: 'd+30.visit',
    stepId: 'd+30',
    channel: 'visit',
    tone: 'neutral',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "A conta está em {{amount_due}}. Conseguimos uma condição excepcional: {{discounted_amount}} para pagamento até {{discount_until}}."\n4. Explique que é uma condição especial deste momento. Ofereça o PIX com o valor com desconto ou o parcelamento.\n5. Registre o pagamento, a promessa ou a recusa.`,
  },

  // D+45: the written notice before negativação (CDC art. 43 §2, Súmula 359).
  {
    id: 'd+45.sms',
    stepId: 'd+45',
    channel: 'sms',
    tone: 'formal',
    privacySafe: false,
    body: '{{debtor_name}}: a conta vencida em {{due_date}} ({{amount_due}}) pode ser registrada no SPC/Serasa se não for paga até {{notice_deadline}}. Pague: {{payment_link}}.',
  },
  {
    id: 'd+45.whatsapp',
    stepId: 'd+45',
    channel: 'whatsapp',
    tone: 'formal',
    privacySafe: false,
    body: 'Prezado(a) {{debtor_name}},\n\nA {{creditor_name}} comunica que consta em aberto, em seu nome, a conta referente a {{debt_reference}}, vencida em {{due_date}}: valor original {{original_amount}}, multa {{fine_amount}}, juros {{interest_amount}}, total atualizado {{amount_due}}.\n\nSe o pagamento não for feito até {{notice_deadline}}, o débito poderá ser registrado nos órgãos de proteção ao crédito (SPC/Serasa), conforme o art. 43, § 2º, do Código de Defesa do Consumidor.\n\nPara pagar: {{payment_link}}\nSe já pagou ou não reconhece este débito, fale conosco pelo {{creditor_phone}}. Seguimos abertos a negociar.',
  },
  {
    id: 'd+45.email',
    stepId: 'd+45',
    channel: 'email',
    tone: 'formal',
    privacySafe: false,
    subject: 'Comunicado sobre débito em aberto - {{creditor_name}}',
    body: '{{today}}\n\nPrezado(a) {{debtor_name}},\n\nA {{creditor_name}} comunica que consta em aberto, em seu nome, o débito abaixo:\n\n- Referência: {{debt_reference}}\n- Vencimento: {{due_date}}\n- Valor original: {{original_amount}}\n- Multa: {{fine_amount}}\n- Juros de mora: {{interest_amount}}\n- Total atualizado: {{amount_due}}\n\nCaso o pagamento não seja feito até {{notice_deadline}}, o débito poderá ser registrado nos órgãos de proteção ao crédito (SPC/Serasa). Este é o comunicado prévio previsto no art. 43, § 2º, do Código de Defesa do Consumidor.\n\nPara pagar, use o link {{payment_link}} ou o PIX copia e cola:\n{{pix_copy_paste}}\n\nSe você já pagou, ou se não reconhece este débito, fale conosco pelo telefone {{creditor_phone}} ou responda este e-mail: vamos verificar e, se for o caso, corrigir. Continuamos abertos a negociar uma forma de pagamento que caiba no seu orçamento.\n\nAtenciosamente,\n{{creditor_name}}\nCNPJ/CPF {{creditor_document}}\n{{creditor_address}}',
  },
  {
    id: 'd+45.visit',
    stepId: 'd+45',
    channel: 'visit',
    tone: 'formal',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. Entregue o comunicado por escrito e peça que assine o recebimento (não é obrigatório).\n4. Explique com calma: "Se a conta de {{amount_due}} não for paga até {{notice_deadline}}, ela poderá ser registrada no SPC/Serasa. Ainda dá para negociar."\n5. Registre a entrega do comunicado e o resultado da conversa.`,
  },

  // D+60: manual review before protesto or judicial collection; one last open door.
  {
    id: 'd+60.sms',
    stepId: 'd+60',
    channel: 'sms',
    tone: 'formal',
    privacySafe: false,
    body: '{{debtor_name}}: a conta vencida em {{due_date}} ({{amount_due}}) segue em aberto e o prazo do comunicado terminou. Ainda podemos fazer um acordo: responda esta mensagem.',
  },
  {
    id: 'd+60.whatsapp',
    stepId: 'd+60',
    channel: 'whatsapp',
    tone: 'formal',
    privacySafe: false,
    body: 'Prezado(a) {{debtor_name}},\n\nA sua conta com a {{creditor_name}}, vencida em {{due_date}}, segue em aberto ({{amount_due}}), e o prazo do comunicado enviado terminou em {{notice_deadline}}.\n\nO caso vai passar por uma análise para os próximos passos, que podem incluir o protesto do título. Antes disso, preferimos um acordo: responda esta mensagem ou ligue para {{creditor_phone}} e vamos encontrar uma condição possível para você.',
  },
  {
    id: 'd+60.email',
    stepId: 'd+60',
    channel: 'email',
    tone: 'formal',
    privacySafe: false,
    subject: 'Sua conta de {{due_date}}: ainda podemos fazer um acordo',
    body: 'Prezado(a) {{debtor_name}},\n\nA sua conta referente a {{debt_reference}}, vencida em {{due_date}}, segue em aberto no valor de {{amount_due}}, e o prazo do comunicado enviado terminou em {{notice_deadline}}.\n\nO caso vai passar por uma análise para os próximos passos, que podem incluir o protesto do título ou a cobrança judicial. Antes disso, preferimos um acordo que caiba no seu orçamento. Responda este e-mail ou ligue para {{creditor_phone}}.\n\nAtenciosamente,\n{{creditor_name}}\nCNPJ/CPF {{creditor_document}}\n{{creditor_address}}',
  },
  {
    id: 'd+60.visit',
    stepId: 'd+60',
    channel: 'visit',
    tone: 'formal',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "A conta de {{amount_due}} segue em aberto e o prazo do comunicado terminou em {{notice_deadline}}. Antes de qualquer outro passo, queremos tentar um acordo."\n4. Apresente as condições possíveis dentro da política; não prometa nem ameace medidas.\n5. Registre o resultado para a análise do responsável.`,
  },

  // Installment steps (the régua of an active agreement, DEFAULT_INSTALLMENT_STEPS): a reminder two
  // days before each installment and a nudge the day after, naming the last day that keeps the
  // agreement — information, never a threat.
  {
    id: 'parcela-2.sms',
    stepId: 'parcela-2',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}! A parcela do seu acordo, de {{amount_due}}, vence em {{due_date}}. Para pagar: {{payment_link}}. Se já pagou, desconsidere.',
  },
  {
    id: 'parcela-2.whatsapp',
    stepId: 'parcela-2',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}, tudo bem? Aqui é da {{creditor_name}}.\n\nLembrete do seu acordo: a parcela de {{amount_due}} vence em {{due_date}}. Segue o PIX copia e cola desta parcela:\n\n{{pix_copy_paste}}\n\nSe já pagou, é só desconsiderar. Obrigado!',
  },
  {
    id: 'parcela-2.email',
    stepId: 'parcela-2',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Lembrete: parcela do acordo vence em {{due_date}}',
    body: 'Olá, {{debtor_first_name}},\n\nEste é um lembrete da {{creditor_name}}: a parcela do seu acordo, no valor de {{amount_due}}, vence em {{due_date}}.\n\nVocê pode pagar pelo link {{payment_link}} ou com o PIX copia e cola abaixo, que já identifica esta parcela:\n{{pix_copy_paste}}\n\nSe o pagamento já foi feito, por favor desconsidere esta mensagem.\n\nObrigado,\nEquipe {{creditor_name}}',
  },
  {
    id: 'parcela-2.visit',
    stepId: 'parcela-2',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "Passei para lembrar que a parcela do seu acordo, de {{amount_due}}, vence em {{due_date}}."\n4. Ofereça o pagamento agora pelo PIX da parcela (QR Code no aplicativo).\n5. Agradeça e registre a visita.`,
  },
  {
    id: 'parcela+1.sms',
    stepId: 'parcela+1',
    channel: 'sms',
    tone: 'friendly',
    privacySafe: false,
    body: 'Oi, {{debtor_first_name}}. Não identificamos a parcela de {{amount_due}} do seu acordo, vencida em {{due_date}}. Pague até {{agreement_deadline}} para manter o acordo: {{payment_link}}',
  },
  {
    id: 'parcela+1.whatsapp',
    stepId: 'parcela+1',
    channel: 'whatsapp',
    tone: 'friendly',
    privacySafe: false,
    body: 'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}.\n\nAinda não identificamos o pagamento da parcela de {{amount_due}} do seu acordo, que venceu em {{due_date}}. Pode ter sido um esquecimento: pagando até {{agreement_deadline}}, o acordo continua valendo.\n\nPIX copia e cola da parcela:\n{{pix_copy_paste}}\n\nSe já pagou, desconsidere. Qualquer dificuldade, é só responder esta mensagem.',
  },
  {
    id: 'parcela+1.email',
    stepId: 'parcela+1',
    channel: 'email',
    tone: 'friendly',
    privacySafe: false,
    subject: 'Parcela do acordo em aberto: pague até {{agreement_deadline}}',
    body: 'Olá, {{debtor_first_name}},\n\nAinda não identificamos o pagamento da parcela do seu acordo com a {{creditor_name}}, no valor de {{amount_due}}, vencida em {{due_date}}.\n\nPagando até {{agreement_deadline}}, o acordo continua valendo. Você pode pagar pelo link {{payment_link}} ou com o PIX copia e cola abaixo:\n{{pix_copy_paste}}\n\nSe já pagou, desconsidere esta mensagem. Se estiver com alguma dificuldade, responda este e-mail para conversarmos.\n\nAtenciosamente,\nEquipe {{creditor_name}}',
  },
  {
    id: 'parcela+1.visit',
    stepId: 'parcela+1',
    channel: 'visit',
    tone: 'friendly',
    privacySafe: false,
    body: `1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}."\n${CONFIRM_IDENTITY}\n3. "A parcela de {{amount_due}} do seu acordo venceu em {{due_date}}. Pagando até {{agreement_deadline}}, o acordo continua valendo."\n4. Ouça: se houver dificuldade, registre e avise o escritório.\n5. Ofereça o PIX da parcela e registre a visita.`,
  },

  // Privacy-safe: recipient not verified as the debtor. No amount, no debt word, creditor name only.
  {
    id: 'privacy.sms',
    channel: 'sms',
    tone: 'neutral',
    privacySafe: true,
    body: 'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}. Temos um assunto para tratar com você. Responda esta mensagem ou ligue para {{creditor_phone}}.',
  },
  {
    id: 'privacy.whatsapp',
    channel: 'whatsapp',
    tone: 'neutral',
    privacySafe: true,
    body: 'Olá, {{debtor_first_name}}. Aqui é da {{creditor_name}}.\n\nTemos um assunto para tratar com você. Quando puder, responda esta mensagem ou ligue para {{creditor_phone}}.\n\nSe este número não for de {{debtor_first_name}}, por favor nos avise e desconsidere esta mensagem.',
  },
  {
    id: 'privacy.email',
    channel: 'email',
    tone: 'neutral',
    privacySafe: true,
    subject: 'Contato da {{creditor_name}}',
    body: 'Olá, {{debtor_first_name}},\n\nTemos um assunto para tratar com você. Quando puder, responda este e-mail ou ligue para {{creditor_phone}}.\n\nSe este endereço não for de {{debtor_first_name}}, por favor nos avise e desconsidere esta mensagem.\n\nAtenciosamente,\n{{creditor_name}}',
  },
  {
    id: 'privacy.visit',
    channel: 'visit',
    tone: 'neutral',
    privacySafe: true,
    body: '1. Apresente-se: "Bom dia, sou {{collector_name}}, da {{creditor_name}}. Procuro {{debtor_first_name}}."\n2. Não diga o motivo da visita a outra pessoa, nem dê detalhes.\n3. "Pode avisar que passei? O telefone para retorno é {{creditor_phone}}."\n4. Agradeça e registre a visita como ausente.',
  },
];

/** The default template with this id, if any. */
export function defaultTemplate(id: string): Template | undefined {
  return DEFAULT_TEMPLATES.find((t) => t.id === id);
}

/** The privacy-safe default for `channel`: used when the recipient is not verified as the debtor. */
export function privacySafeVariant(channel: Channel): Template {
  const found = DEFAULT_TEMPLATES.find((t) => t.privacySafe && t.channel === channel);
  if (!found) throw new RangeError(`no privacy-safe template for channel ${channel}`);
  return found;
}
