/** Content script entry for mail.google.com. */
import { gmailAdapter } from '../sites';
import { runContent } from './run-content';

runContent(gmailAdapter);
