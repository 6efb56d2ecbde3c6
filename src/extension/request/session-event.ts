import type { ToWebviewPayload } from '../../protocol/messages';

/** What a session tells its views: a protocol message, or `reset` when they must redraw from a snapshot. */
export type SessionEvent = ToWebviewPayload | { type: 'reset' };
export type SessionListener = (event: SessionEvent) => void;
