/** Content script entry for Outlook on the web (outlook.office.com, outlook.live.com). */
import { outlookAdapter } from '../sites/outlook';
import { runContent } from './run-content';

runContent(outlookAdapter);
