/** Content script entry for mail.google.com. */
import { gmailAdapter } from '../sites/gmail';
import { runContent } from './run-content';

runContent(gmailAdapter);
