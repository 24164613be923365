/** The phone's sign-in by QR code (`/entrar-com-codigo`): see ./messages.ts. */
export const accessPtBR = {
  'access.title': 'Entrar neste celular',
  'access.checking': 'Conferindo o código…',
  'access.as': 'Este código entra no Quita como',
  'access.role.collector': 'cobrador',
  'access.role.staff': 'escritório',
  'access.submit': 'Entrar',
  'access.noCode':
    'Este link não traz um código de acesso. Peça ao proprietário para mostrar o QR de novo.',
  'access.signInInstead': 'Entrar com e-mail e senha',
  'access.already': 'Você já está conectado como',
  'access.continue': 'Continuar',
} as const;
