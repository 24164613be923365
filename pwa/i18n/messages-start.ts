/**
 * The text of the screens before the work: sign-in, first-run setup and Home (with this device's
 * facts). These screens load on demand, and this table comes with them (registered on import),
 * so a collector opening straight on Today downloads none of it. See ./messages.ts.
 */
import { registerMessages } from './messages';

export const startPtBR = {
  'app.tagline': 'Cobrança amigável para pequenos negócios',
  'auth.title': 'Entrar',
  'auth.email': 'E-mail',
  'auth.password': 'Senha',
  'auth.submit': 'Entrar',
  'auth.needsConnection': 'Para entrar é preciso estar conectado.',
  'setup.title': 'Configuração inicial',
  'setup.intro': 'Crie a conta do proprietário. Este link funciona uma única vez.',
  'setup.name': 'Seu nome',
  'setup.passwordHint': 'Pelo menos 10 caracteres.',
  'setup.confirm': 'Repita a senha',
  'setup.mismatch': 'As senhas não conferem.',
  'setup.submit': 'Criar conta',
  'setup.noToken':
    'Link de configuração incompleto. Use o link exibido pelo servidor na primeira inicialização.',
  'home.hello': 'Olá',
  'home.collectorSoon':
    'Seu trabalho do dia está em Hoje: clientes, visitas, pagamentos e promessas, mesmo sem conexão.',
  'home.serverStatus': 'Servidor',
  'home.online': 'conectado',
  'home.offline': 'sem conexão',
  'home.database': 'Banco de dados',
  'device.title': 'Este aparelho',
  'device.connection': 'Conexão',
  'device.offlineReady': 'Pronto para uso offline',
  'device.persist': 'Armazenamento persistente',
  'device.persist.unknown': 'verificando…',
  'device.persist.granted': 'concedido',
  'device.persist.denied': 'negado pelo navegador (os dados podem ser apagados se faltar espaço)',
  'device.persist.unsupported': 'não suportado neste navegador',
  'device.installed': 'Instalado na tela inicial',
  'device.install': 'Instalar o app',
  'device.version': 'Versão do app',
} as const;

registerMessages(startPtBR);
