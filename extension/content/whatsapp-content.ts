/** Content script entry for web.whatsapp.com. */
import { whatsappAdapter } from '../sites';
import { runContent } from './run-content';

runContent(whatsappAdapter);
