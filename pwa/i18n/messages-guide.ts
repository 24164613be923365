/**
 * The owner's first-run guide, the home screen's "what is still missing", the demo loader and the
 * sign-in QR codes (guide, home, Pessoas): see ./messages.ts. Loaded with the owner's screens only.
 */
export const guidePtBR = {
  'guide.title': 'Primeiros passos',
  'guide.intro':
    'Cinco passos para começar a cobrar: quem é você, quem cobra (o credor), como o cliente paga, quem vai à rua e quem deve. Cada passo pode ser pulado e feito depois.',
  'guide.progress': 'Progresso',
  'guide.progressOf': 'de',
  'guide.progressDone': 'passos feitos',
  'guide.steps': 'Passos',
  'guide.state.done': 'feito',
  'guide.state.skipped': 'pulado',
  'guide.state.todo': 'a fazer',
  'guide.step.name': 'Seu nome',
  'guide.step.creditor': 'Credor',
  'guide.step.pix': 'Chave PIX',
  'guide.step.collector': 'Primeiro cobrador',
  'guide.step.import': 'Carteira de devedores',
  'guide.saveNext': 'Salvar e continuar',
  'guide.next': 'Continuar',
  'guide.skip': 'Pular por agora',
  'guide.unskip': 'Fazer este passo',
  'guide.skippedNote': 'Você pulou este passo. Ele continua na lista do início até ser feito.',
  'guide.doneNote': 'Passo feito.',
  'guide.allDone': 'Tudo pronto para cobrar',
  'guide.allDoneText':
    'Os passos essenciais estão feitos. Antes de começar, revise a régua de cobrança (quando e por onde cada lembrete sai) em Ajustes.',
  'guide.goSettings': 'Revisar a régua em Ajustes',
  'guide.goPortfolio': 'Ver a carteira',
  'guide.goPeople': 'Abrir Pessoas',
  'guide.somethingLeft': 'Ainda falta',

  'guide.name.title': 'Como você quer ser chamado?',
  'guide.name.text': 'É o nome que aparece no app e no histórico de cada cobrança que você fizer.',
  'guide.name.label': 'Seu nome',

  'guide.creditor.title': 'Quem é o credor',
  'guide.creditor.text':
    'O Código de Defesa do Consumidor (art. 42-A) manda que toda cobrança identifique o credor: nome, CPF ou CNPJ e endereço. O Quita põe esses dados em todas as mensagens, recibos e avisos.',
  'guide.creditor.legalName': 'Razão social (ou nome completo)',
  'guide.creditor.tradeName': 'Nome fantasia (opcional)',
  'guide.creditor.document': 'CNPJ ou CPF',
  'guide.creditor.phone': 'Telefone para os clientes (opcional)',
  'guide.creditor.address': 'Endereço',
  'guide.creditor.postalCode': 'CEP',
  'guide.creditor.street': 'Rua',
  'guide.creditor.number': 'Número',
  'guide.creditor.complement': 'Complemento (opcional)',
  'guide.creditor.district': 'Bairro',
  'guide.creditor.city': 'Cidade',
  'guide.creditor.state': 'UF',
  'guide.creditor.saved': 'Credor salvo.',

  'guide.pix.title': 'Chave PIX para receber',
  'guide.pix.text':
    'Com a chave, o cobrador mostra um QR na hora e o cliente paga pelo app do banco. O pagamento cai direto na sua conta.',
  'guide.pix.type': 'Tipo de chave',
  'guide.pix.key': 'Chave PIX',
  'guide.pix.type.cnpj': 'CNPJ',
  'guide.pix.type.cpf': 'CPF',
  'guide.pix.type.email': 'E-mail',
  'guide.pix.type.phone': 'Celular',
  'guide.pix.type.evp': 'Chave aleatória',
  'guide.pix.needsCreditor':
    'A chave PIX é salva junto com a identificação do credor. Preencha o credor primeiro.',
  'guide.pix.goCreditor': 'Preencher o credor',
  'guide.pix.keyOk': 'Chave válida',
  'guide.pix.testTitle': 'Teste com o seu banco',
  'guide.pix.testText':
    'Abra o app do seu banco, escolha Pix › Ler QR code e confira se aparecem o seu nome e a sua chave. Não é preciso pagar: o valor de teste é R$ 0,01.',
  'guide.pix.testQr': 'QR de teste de R$ 0,01 para a chave PIX',
  'guide.pix.copyPaste': 'PIX copia e cola',
  'guide.pix.current': 'Chave cadastrada',

  'guide.collector.title': 'Primeiro cobrador',
  'guide.collector.text':
    'O cobrador trabalha no celular, mesmo sem sinal. Cadastre-o aqui e mostre o QR: ele aponta a câmera e já entra, sem digitar endereço nem senha.',
  'guide.collector.name': 'Nome do cobrador',
  'guide.collector.email': 'E-mail do cobrador',
  'guide.collector.emailHint':
    'Serve de usuário. O cobrador não precisa de senha para entrar pelo QR.',
  'guide.collector.add': 'Cadastrar cobrador',
  'guide.collector.added': 'Cobrador cadastrado. Mostre o QR para ele entrar no celular.',
  'guide.collector.list': 'Cobradores',
  'guide.collector.another': 'Cadastrar outro cobrador',

  'guide.import.title': 'Carteira de devedores',
  'guide.import.text':
    'Traga a carteira numa planilha: baixe o modelo, preencha (ou cole as colunas da sua planilha) e envie o arquivo. Os devedores já cadastrados são atualizados, nunca duplicados.',
  'guide.import.template': '1. Baixar o modelo da planilha',
  'guide.import.templateMissing':
    'O modelo não está disponível neste servidor. Use as colunas: external_id, name, document, email, phone, address, city, state, debt_id, description, amount, due_date.',
  'guide.import.file': '2. Arquivo preenchido (CSV)',
  'guide.import.submit': 'Importar',
  'guide.import.running': 'Importando…',
  'guide.import.choose': 'Escolha o arquivo da planilha.',
  'guide.import.result': 'Importação concluída',
  'guide.import.debtors': 'devedores novos',
  'guide.import.debts': 'dívidas novas',
  'guide.import.updated': 'atualizados',
  'guide.import.errors': 'linhas com erro (as outras foram importadas)',
  'guide.import.line': 'Linha',
  'guide.import.assignTitle': '3. Quem visita esses devedores',
  'guide.import.unassigned': 'devedores sem cobrador.',
  'guide.import.assignTo': 'Entregar a',
  'guide.import.assignAll': 'Dividir entre todos os cobradores',
  'guide.import.assign': 'Entregar',
  'guide.import.assigned': 'devedores entregues.',
  'guide.import.full': 'Mais opções de importação em Trabalho',

  'guide.demo.title': 'Quer ver o Quita funcionando antes?',
  'guide.demo.text':
    'Os dados de exemplo enchem a organização com uma carteira de mentira: um credor de exemplo, uma chave PIX de teste, três cobradores e cerca de 2.000 devedores em todas as etapas. Só funciona enquanto não houver devedores de verdade.',
  'guide.demo.load': 'Carregar dados de exemplo',
  'guide.demo.loading': 'Carregando os dados de exemplo (pode levar um minuto)…',
  'guide.demo.loaded': 'Dados de exemplo carregados',
  'guide.demo.collectors':
    'Cobradores de exemplo: mostre o QR de cada um para entrar no celular. As senhas não ficam guardadas em lugar nenhum.',

  'guide.home.title': 'O que falta para começar',
  'guide.home.continue': 'Continuar os primeiros passos',
  'guide.home.review': 'Rever os primeiros passos',
  'guide.home.ready': 'A configuração essencial está feita.',
  'guide.missing.name': 'Confirme o seu nome: é ele que aparece no histórico das cobranças.',
  'guide.missing.creditor':
    'Sem identificação do credor: as mensagens saem sem o nome, o CPF/CNPJ e o endereço que a lei exige (CDC art. 42-A).',
  'guide.missing.pix': 'Sem chave PIX: os clientes não conseguem pagar pelo QR.',
  'guide.missing.collector': 'Sem cobrador: ninguém leva a carteira para a rua.',
  'guide.missing.import':
    'Sem devedores: importe a planilha da carteira ou carregue os dados de exemplo.',
  'guide.missing.unassigned': 'devedores sem cobrador: ninguém vai visitá-los.',
  'guide.missing.fix': 'Resolver',

  'qr.show': 'QR para entrar no celular',
  'qr.again': 'Gerar outro QR',
  'qr.hide': 'Esconder o QR',
  'qr.label': 'QR para entrar no Quita no celular de',
  'qr.instructions':
    'Peça para apontar a câmera do celular para o QR e tocar no link. O Quita abre já no nome da pessoa.',
  'qr.validUntil': 'Vale uma única vez, até',
  'qr.link': 'Ou envie o link',
  'qr.copy': 'Copiar link',
  'qr.copied': 'Link copiado.',
  'qr.whatsapp': 'Enviar pelo WhatsApp',
  'qr.whatsappText': 'Seu acesso ao Quita (vale uma vez, por 15 minutos):',
  'qr.localhost':
    'Atenção: este endereço só funciona neste computador. Para o celular, abra o Quita pelo endereço da rede ou defina QUITA_PUBLIC_URL no servidor.',
} as const;
