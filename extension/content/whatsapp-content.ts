/** Content script entry for web.whatsapp.com. */
import { whatsappAdapter } from '../sites/whatsapp';
import { runContent } from './run-content';

runContent(whatsappAdapter);
