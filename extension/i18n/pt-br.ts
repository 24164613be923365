/** Every user-facing string of the extension, pt-BR. Keys are dotted by screen. */
import { PT_BR_CONTENT } from './pt-br-content';

export { PT_BR_CONTENT };

/**
 * What the privacy-safe mode says. These texts may be read by anyone looking at the screen, so
 * none of them carries a debt word (no amount, status, stage, due date or "cobrança"): the test
 * `extension/core/overlay-state.test.ts` checks them against the list of forbidden words.
 */
export const PT_BR_PRIVACY = {
  'privacy.group':
    'Conversa em grupo: todos do grupo leem o que for enviado aqui. Use só a mensagem sem exposição.',
  'privacy.unidentified':
    'Não dá para saber com quem é esta conversa. Use só a mensagem sem exposição.',
  'privacy.hiddenNumber': 'Esta conversa do WhatsApp não mostra o número da pessoa.',
  'privacy.no-match':
    'Nenhum cliente encontrado para esta conversa. Use só a mensagem sem exposição.',
  'privacy.claimed':
    'Você vinculou esta conversa a {name}, mas o número não aparece: o vínculo ainda não confirma quem é. Só o nome é mostrado.',
  'privacy.incomplete':
    'Não consigo ver todos que recebem esta conversa: {count} mensagens recolhidas ou destinatários sem endereço visível. Abra todas as mensagens da conversa, na janela principal do e-mail, para conferir. Até lá, só o nome é mostrado.',
  'privacy.incomplete.one':
    'Não consigo ver todos que recebem esta conversa: uma mensagem recolhida ou um destinatário sem endereço visível. Abra todas as mensagens da conversa, na janela principal do e-mail, para conferir. Até lá, só o nome é mostrado.',
  'privacy.unverified':
    'Este contato ainda não foi confirmado como sendo de {name}. Só o nome é mostrado.',
  'privacy.third-parties': 'Outras pessoas recebem esta conversa. Só o nome é mostrado.',
  'privacy.others': 'Também recebem:',
  'privacy.confirmIntro':
    'Confirme só depois que a pessoa se identificar nesta conversa (por exemplo, com o CPF). A confirmação fica registrada em seu nome.',
  'privacy.confirm': 'Confirmar identidade',
  'privacy.unlink': 'Desfazer vínculo',
} as const;

export const PT_BR = {
  ...PT_BR_CONTENT,
  ...PT_BR_PRIVACY,
  'overlay.loading': 'Consultando…',
  'overlay.signedOut': 'Entre na sua conta do Quita nas opções da extensão.',
  'overlay.openOptions': 'Abrir opções',
  'overlay.idle': 'Abra uma conversa para ver a situação do cliente.',
  'overlay.link.intro': 'Se você sabe quem é, vincule esta conversa ao cliente:',
  'overlay.link.placeholder': 'Nome, CPF/CNPJ, telefone ou e-mail',
  'overlay.link.button': 'Vincular',
  'overlay.link.none': 'Nenhum cliente encontrado.',
  'overlay.otherMatches': 'Mais {n} cliente(s) com este contato.',
  'overlay.confirmedBy': 'Identidade confirmada por {name} em {date}.',
  'overlay.undoIdentity': 'Não é esta pessoa',
  'overlay.balance': 'Saldo em {date}',
  'overlay.balance.principal': 'Valor original',
  'overlay.balance.fine': 'Multa',
  'overlay.balance.interest': 'Juros',
  'overlay.balance.fees': 'Tarifas',
  'overlay.balance.paid': 'Pago',
  'overlay.balance.discount': 'Desconto',
  'overlay.balance.totalDue': 'Total devido',
  'overlay.lastContact': 'Último contato',
  'overlay.lastContact.none': 'nenhum',
  'overlay.budget': 'Contatos restantes',
  'overlay.budget.value': '{today} hoje · {week} em 7 dias',
  'overlay.window': 'Janela de contato',
  'overlay.window.open': 'aberta agora',
  'overlay.window.closed': 'fechada agora',
  'overlay.step': 'Etapa da régua',
  'overlay.step.value': '{step} · {channel} · desde {date}',
  'overlay.step.none': 'nenhuma etapa pendente',
  'overlay.guard.refused': 'Atenção: {message}',
  'overlay.messages': 'Mensagens',
  'overlay.insert': 'Inserir',
  'overlay.copy': 'Copiar',
  'overlay.log': 'Registrar contato',
  'overlay.missing': 'Faltam dados para esta mensagem: {fields}',
  'overlay.inserted': 'Texto inserido. Revise e clique em Enviar você mesmo.',
  'overlay.insertFailed': 'Não consegui inserir o texto. Use “Copiar” e cole na caixa de mensagem.',
  'overlay.noComposer': 'Abra a caixa de resposta antes de inserir.',
  'overlay.conversationChanged':
    'A conversa mudou antes de inserir: nada foi inserido. Confira a mensagem desta conversa.',
  'overlay.logged': 'Contato registrado.',
  'overlay.logRefused': 'Contato não registrado: {message}',
  'overlay.identityConfirmed': 'Identidade confirmada e registrada.',
  'overlay.retry': 'Tentar de novo',
  'overlay.retryIn': 'Nova tentativa automática em {seconds} s.',
  'overlay.retrying': 'Tentando de novo…',
  'status.em_dia': 'em dia',
  'status.vencido': 'vencido há {days} dias',
  'status.vencido.one': 'vencido há 1 dia',
  'status.promessa': 'promessa de pagamento',
  'status.promessaAte': 'promessa até {date}',
  'status.acordo': 'acordo',
  'status.disputa': 'em disputa',
  'status.negativado': 'negativado',
  'step.before': '{days} dias antes do vencimento',
  'step.beforeOne': '1 dia antes do vencimento',
  'step.due': 'no dia do vencimento',
  'step.after': '{days} dias após o vencimento',
  'step.afterOne': '1 dia após o vencimento',
  'step.other': 'etapa {id}',
  'channel.whatsapp': 'WhatsApp',
  'channel.email': 'e-mail',
  'channel.sms': 'SMS',
  'channel.phone': 'telefone',
  'channel.visit': 'visita',
  'channel.letter': 'carta',
  'message.privacySafe': 'Mensagem sem exposição',
  'message.step': 'Mensagem de {step}',
  'error.network': 'Não consegui falar com o servidor do Quita ({detail}).',
  'error.timeout': 'o servidor não respondeu a tempo',
  'error.noAnswer': 'sem resposta; confira a internet e o endereço do servidor nas opções',
  'error.unavailable': 'O servidor do Quita está indisponível no momento.',
  'error.unauthorized': 'Sua sessão expirou ou foi revogada. Entre de novo nas opções.',
  'error.server': 'O servidor respondeu com erro: {detail}',
  'error.organisation':
    'Os dados do credor (nome, CNPJ/CPF, endereço) não estão configurados no Quita.',
  'error.noContactPoint': 'Este cliente não tem telefone nem e-mail cadastrado no Quita.',
  'error.forbidden': 'Esta ação não é permitida aqui.',
  'error.permission': 'Permissão para acessar {origin} negada.',
  'signIn.badCredentials': 'E-mail ou senha incorretos.',
  'signIn.unreachable':
    'Não consegui falar com o servidor do Quita em {origin}. Confira o endereço e se o servidor está no ar.',
  'options.title': 'Quita: opções',
  'options.server': 'Endereço do servidor',
  'options.email': 'E-mail',
  'options.password': 'Senha',
  'options.signIn': 'Entrar',
  'options.signOut': 'Sair',
  'options.signedInAs': 'Conectado como {name} em {server}.',
  'options.signedOut': 'Não conectado.',
  'options.signedOutRevoked': 'Você saiu. O token desta extensão foi revogado no servidor.',
  'options.signedOutPending':
    'Você saiu, mas o servidor não respondeu: o token desta extensão continua válido até ser revogado. Ele será revogado assim que o servidor voltar (nova tentativa a cada minuto).',
  'options.pending':
    'Revogação pendente do token usado até {time}: o servidor ainda não respondeu. Nova tentativa a cada minuto.',
  'options.retryRevocation': 'Tentar revogar agora',
  'options.revocationDone': 'O token anterior foi revogado no servidor.',
  'options.tokenNote':
    'A extensão guarda só um token pessoal, que só permite consultar clientes, ver a fila, registrar contatos e confirmar identidades; ele é revogável nas configurações do Quita. A senha não é guardada.',
  'popup.title': 'Fila de hoje',
  'popup.search': 'Buscar cliente',
  'popup.searchPlaceholder': 'Nome, CPF/CNPJ, telefone ou e-mail',
  'popup.empty': 'Nada para hoje.',
  'popup.noResults': 'Nenhum cliente encontrado.',
  'popup.signedOut': 'Entre nas opções para ver a fila.',
} as const;

export type MessageKey = keyof typeof PT_BR;
export type { ContentMessageKey } from './pt-br-content';
