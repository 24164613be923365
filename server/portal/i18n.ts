/**
 * Every text of the debtor's page, pt-BR. `t(key, params)` fills `{name}` placeholders; a missing
 * key is a compile error (the catalogue's type is the key space). Money and dates are formatted by
 * ./format.ts (Intl), never spelled here. Another language is a catalogue with the same keys.
 */

const ptBR = {
  'page.lang': 'pt-BR',
  'page.skip': 'Pular para o conteúdo',
  'org.cnpj': 'CNPJ {document}',
  'org.cpf': 'CPF {document}',
  'org.phone': 'Telefone: {phone}',
  'org.unknown': 'Credor',

  // First view: identity check. No amount, no debt word, no name (CDC art. 42 and 71).
  'check.title': 'Assunto com {creditor}',
  'check.heading': 'Há um assunto para tratar com {creditor}.',
  'check.lead': 'Para continuar, confirme que este link chegou à pessoa certa.',
  'check.label': 'Os {digits} primeiros dígitos do CPF ou CNPJ cadastrado',
  'check.hint': 'Somente números, sem pontos. Exemplo: 123456.',
  'check.labelLetters': 'Os {digits} primeiros caracteres (letras e números) do CNPJ cadastrado',
  'check.hintLetters': 'Letras e números, sem pontos. Exemplo: 12ABC3.',
  'check.submit': 'Continuar',
  'check.ignore': 'Se este link não é para você, ignore-o: nada é mostrado sem esta confirmação.',
  'check.wrong': 'Os dígitos não conferem. Confira e tente de novo.',
  'check.wrongLeft':
    'Os dígitos não conferem. Restam {left} tentativas antes de uma pausa de 15 minutos.',
  'check.invalid': 'Digite os {digits} primeiros dígitos, só números.',
  'check.invalidLetters': 'Digite os {digits} primeiros caracteres do CNPJ, letras e números.',
  'check.errorTitle': 'Não foi possível continuar',
  'check.expiredSession': 'Sua sessão terminou. Confirme de novo para continuar.',

  'wait.title': 'Muitas tentativas',
  'wait.body': 'Por segurança, aguarde {minutes} antes de tentar de novo.',
  'wait.minutes': '{n} minutos',
  'wait.minute': '1 minuto',

  'gone.title': 'Link indisponível',
  'gone.body':
    'Este link não é válido ou expirou. Se você recebeu uma mensagem de {creditor}, peça um novo link pelos contatos abaixo.',
  'locked.body':
    'Este link foi bloqueado depois de muitas tentativas erradas. Peça um novo link a {creditor} pelos contatos abaixo.',
  'unavailable.title': 'Página indisponível',
  'unavailable.body':
    'Não é possível confirmar a identidade por esta página. Fale com {creditor} pelos contatos abaixo.',
  'unconfigured.body': 'Esta página ainda não está disponível. Tente de novo mais tarde.',
  'forbidden.title': 'Ação não permitida',
  'forbidden.body': 'O formulário expirou ou veio de outro site. Volte à página e tente de novo.',
  back: 'Voltar à página',

  // Main view.
  'main.title': '{creditor}: sua situação',
  'main.hello': 'Olá, {name}.',
  'main.asOf': 'Valores atualizados em {date}.',
  'main.nothing': 'Não há nada em aberto com {creditor}. Obrigado!',
  'main.logout': 'Sair',
  'main.help': 'Dúvidas? Fale com {creditor}: {phone}.',
  'main.helpNoPhone': 'Dúvidas? Responda à mensagem que trouxe este link.',
  'main.privacy':
    'Esta página é pessoal e fecha sozinha após 20 minutos sem uso. Não compartilhe o link.',

  'done.agreement': 'Acordo fechado. As datas e os valores estão abaixo.',
  'done.agreementPending':
    'Proposta enviada. Ela precisa da aprovação de {creditor}; você receberá a resposta pelos seus contatos.',
  'done.promise':
    'Combinado: pagamento de {amount} até {date}. Os lembretes ficam pausados até lá.',
  'done.request': 'Pedido enviado. {creditor} vai responder pelos seus contatos.',
  'done.dispute':
    'Contestação registrada. A cobrança desta conta fica suspensa até a resposta de {creditor}.',
  'done.preferences': 'Preferências salvas.',

  'debts.heading': 'Em aberto',
  'debts.total': 'Total em aberto hoje: {amount}',
  'debt.due': 'Vencimento: {date}',
  'debt.late': '{days} dias de atraso',
  'debt.lateOne': '1 dia de atraso',
  'debt.notLate': 'no prazo',
  'debt.disputed': 'Em contestação: aguardando a resposta de {creditor}.',
  'line.principal': 'Valor original',
  'line.fine': 'Multa ({rate})',
  'line.interest': 'Juros de mora ({rate} ao mês)',
  'line.fees': 'Tarifas',
  'line.paid': 'Pagamentos recebidos',
  'line.discount': 'Desconto',
  'line.total': 'Total hoje',
  'breakdown.caption': 'Composição do valor',
  'breakdown.captionOf': 'de {description}',
  'breakdown.item': 'Item',
  'breakdown.amount': 'Valor',

  'pix.heading': 'Pagar com PIX',
  'pix.all': 'Pagar tudo de uma vez: {amount}',
  'pix.onlyThis': 'Pagar só esta conta com PIX',
  'pix.amount': 'Valor: {amount}',
  'pix.qr': 'QR Code PIX de {amount}',
  'pix.copyLabel': 'PIX copia e cola',
  'pix.copy': 'Copiar código',
  'pix.copied': 'Código copiado',
  'pix.howto':
    'No app do seu banco, escolha PIX e leia o QR Code ou cole o código. O pagamento aparece aqui depois que o banco confirmar.',
  'pix.none': 'O PIX ainda não está disponível. Fale com {creditor} para pagar.',

  'agreement.heading': 'Seu acordo',
  'agreement.pendingHeading': 'Proposta de acordo em análise',
  'agreement.pending':
    'Sua proposta precisa da aprovação de {creditor}. Você receberá a resposta pelos seus contatos.',
  'agreement.total': 'Total do acordo: {amount}',
  'agreement.rejected':
    '{creditor} não aprovou sua última proposta de acordo: {reason}. Você pode escolher outra forma abaixo.',
  'agreement.totalRow': 'Total do acordo',
  'agreement.caption': 'Parcelas do acordo',
  'agreement.number': 'Parcela',
  'agreement.entrada': '1ª (entrada)',
  'agreement.single': 'Pagamento único',
  'agreement.nth': '{n}ª',
  'agreement.dueDate': 'Vencimento',
  'agreement.amount': 'Valor',
  'installment.paid': 'paga',
  'installment.overdue': 'vencida',
  'installment.due': 'vence hoje',
  'installment.upcoming': 'a vencer',
  'installment.lastDay': 'Último dia para pagar sem desfazer o acordo: {date}.',
  'agreement.ruleHeading': 'Regra do acordo',
  'agreement.payNow': 'Parcela a pagar agora',

  'promise.active': 'Você combinou pagar {amount} até {date}.',
  'dispute.open': 'Contestação em análise ({reason}), aberta em {date}.',
  'request.open': 'Pedido de nova data ({date}) em análise.',
  'request.refused': 'O pedido de nova data ({date}) não foi aceito: {note}',
  'request.granted': 'O pedido de nova data ({date}) foi aceito.',

  'actions.heading': 'O que você quer fazer?',
  'plan.summary': 'Parcelar ou pagar à vista',
  'plan.firstDate': 'Data do primeiro pagamento',
  'plan.options': 'Escolha uma forma de pagamento (total hoje: {amount})',
  'plan.vista': 'À vista: {amount}',
  'plan.vistaDiscount': 'À vista com {rate} de desconto: {amount}',
  'plan.split': '{n}× — entrada de {first} e {rest}× de {amount}',
  'plan.splitEqual': '{n}× de {amount}',
  'plan.approval': 'sujeito à aprovação de {creditor}',
  'plan.review': 'Ver as datas e confirmar',
  'plan.reviewHeading': 'Confira o acordo',
  'plan.reviewLead': 'Este é o acordo que você está propondo a {creditor}:',
  'plan.reviewApproval':
    'Esta condição precisa da aprovação de {creditor}: ao confirmar, a proposta vai para análise.',
  'plan.discountLine': 'Desconto concedido: {amount}',
  'plan.ruleHeading': 'Se uma parcela atrasar',
  'plan.rule': 'Ao confirmar, você concorda em pagar cada parcela até o vencimento.',
  'plan.confirm': 'Confirmar acordo',
  'plan.changed': 'Os valores mudaram desde que a página foi aberta. Confira e confirme de novo.',
  'plan.unavailable': 'Esta opção não está mais disponível. Escolha outra.',
  'plan.choose': 'Escolha uma das formas de pagamento.',

  'promise.summary': 'Combinar uma data para pagar',
  'promise.date': 'Até quando você vai pagar',
  'promise.amount': 'Valor (R$)',
  'promise.amountHint': 'Total em aberto: {amount}. Mínimo: {min}.',
  'promise.submit': 'Combinar',
  'promise.refused': 'Não foi possível combinar esta data: {reason}',
  'promise.needsApproval':
    'Não é possível combinar uma nova data por aqui. Peça outra data de vencimento abaixo ou fale com {creditor}.',
  'promise.badAmount': 'Digite um valor como 150,00.',
  'promise.badDate': 'Escolha uma das datas da lista.',
  today: 'hoje',

  'request.summary': 'Pedir outra data de vencimento',
  'request.lead':
    'Se você precisa de mais prazo do que as datas acima, peça uma nova data: {creditor} vai analisar.',
  'request.date': 'Nova data desejada',
  'request.dateHint': 'Formato dd/mm/aaaa, até {max}.',
  'request.reason': 'Motivo (opcional)',
  'request.submit': 'Enviar pedido',
  'request.badDate': 'Escolha uma data depois de hoje e até {max}.',
  'request.exists': 'Já existe um pedido de nova data em análise.',

  'dispute.summary': 'Contestar uma conta',
  'dispute.debt': 'Qual conta',
  'dispute.reason': 'Motivo',
  'dispute.already_paid': 'Já paguei',
  'dispute.not_recognised': 'Não reconheço esta conta',
  'dispute.wrong_amount': 'O valor está errado',
  'dispute.other': 'Outro motivo',
  'dispute.product_or_service': 'Problema com o produto ou serviço',
  'dispute.description': 'Conte o que aconteceu',
  'dispute.descriptionHint': 'Obrigatório para "Outro motivo". Até 2.000 caracteres.',
  'dispute.submit': 'Enviar contestação',
  'dispute.badReason': 'Escolha um motivo.',
  'dispute.needsDescription': 'Conte o que aconteceu.',
  'dispute.badDebt': 'Escolha uma das contas da lista.',
  'dispute.exists': 'Esta conta já tem uma contestação em análise.',

  'prefs.summary': 'Como prefere ser contatado',
  'prefs.channel': 'Canal preferido para lembretes',
  'prefs.none': 'Sem preferência',
  'prefs.hours': 'Horário preferido',
  'prefs.from': 'Das',
  'prefs.to': 'Até',
  'prefs.anyTime': 'qualquer horário permitido',
  'prefs.hoursHint':
    'Os contatos só acontecem em dias úteis, das 8h às 20h, e aos sábados até as 14h.',
  'prefs.block': 'Não quero ser contatado por',
  'prefs.submit': 'Salvar preferências',
  'prefs.contacts': 'Seus contatos cadastrados',
  'prefs.contactsHint':
    'Confirme os que são seus. Um contato que não é seu deixa de receber mensagens.',
  'prefs.mine': 'É meu',
  'prefs.notMine': 'Não é meu',
  'prefs.dontKnow': 'Não sei',
  'prefs.badHours': 'O horário de início deve ser antes do horário de término.',
  'prefs.bothHours': 'Escolha o início e o término, ou nenhum dos dois.',
  'prefs.preferredBlocked': 'O canal preferido não pode estar entre os bloqueados.',
  'prefs.badValue': 'Escolha uma das opções da lista.',
  'channel.whatsapp': 'WhatsApp',
  'channel.sms': 'SMS',
  'channel.email': 'E-mail',
  'channel.phone': 'Ligações',

  'errors.title': 'Corrija para continuar',
  'errors.conflict': 'Esta ação não é possível agora: {reason}',
} as const;

export type MessageKey = keyof typeof ptBR;

/** The pt-BR text of `key` with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return ptBR[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
