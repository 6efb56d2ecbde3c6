import type { AttachmentView, ContextLeftOut } from '../../protocol/context-messages';
import type { ChatMessageView } from '../../protocol/messages';
import type { SessionEvent } from '../request/session-event';
import { PendingContext, type PendingAttachment } from './pending-context';
import type { PreparedPrompt } from './prepare-prompt';

/** Builds a prompt's context from its attachments and text (see prepare-prompt.ts); given by the extension. */
export type PrepareContext = (pending: readonly PendingAttachment[], text: string) => Promise<PreparedPrompt>;

/** What a sent prompt and its answer carry of their context. */
export interface PromptContext {
  user: Pick<ChatMessageView, 'attachments' | 'context'>;
  leftOut: ContextLeftOut[];
}

/**
 * One conversation's context: the chips waiting in its composer, and the step that turns them into
 * what a prompt sends. Kept out of ChatSession so the session stays about its transcript.
 */
export class SessionContext {
  readonly pending: PendingContext;

  constructor(
    private readonly post: (event: SessionEvent) => void,
    private readonly prepare: PrepareContext,
  ) {
    this.pending = new PendingContext((attachments: AttachmentView[]) => post({ type: 'context', attachments }));
  }

  /** Something could not be attached: the composer says so. */
  notice(message: string): void {
    this.post({ type: 'contextNotice', message });
  }

  /**
   * The context of a prompt being sent: the waiting chips (taken), the prompt's `#` mentions, and
   * what an edited prompt already carried (`carried`: its attachments stay with it). Problems are
   * told to the user; a failure to prepare puts the chips back and sends the prompt without them.
   */
  async forPrompt(text: string, carried?: PromptContext): Promise<PromptContext> {
    const taken = this.pending.take();
    let prepared: PreparedPrompt;
    try {
      prepared = await this.prepare(taken, text);
    } catch (error) {
      this.pending.restore(taken);
      this.notice(error instanceof Error ? error.message : String(error));
      return carried ?? { user: {}, leftOut: [] };
    }
    for (const problem of prepared.problems) this.notice(problem);
    const attachments = [...(carried?.user.attachments ?? []), ...prepared.attachments];
    const context = [carried?.user.context, prepared.context].filter((part): part is string => !!part).join('\n\n');
    return {
      user: attachments.length ? { attachments, ...(context ? { context } : {}) } : {},
      leftOut: [...(carried?.leftOut ?? []), ...prepared.leftOut],
    };
  }
}
