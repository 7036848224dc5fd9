import { approval } from '../../jobs/catalog';
import { AWAIT_CALLBACK, handleJob } from '../runtime/job-handler';

/**
 * Handler of the demo `approval` job: asks for a callback URL and leaves the activity open. A real one would
 * send the URL to the approver (email, chat); here the local stack prints it (`npm run dev`, `npm start -- --callback`).
 */
export const approvalHandler = handleJob(approval, async ({ request }, ctx) => {
  await ctx.callback({ expiresIn: '1 hour' });
  ctx.log.info('approval requested', { chars: request.length });
  return AWAIT_CALLBACK;
});
