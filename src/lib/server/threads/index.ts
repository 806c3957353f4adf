// The thread domain, the server API of SPEC §6: split by concern, one file each.
export { MessagingError, excerptOf } from './common';
export type { NewThread, Sent } from './sent-message';
export * from './new-thread';
export * from './reply';
export * from './reading';
export * from './mailbox-state';
export * from './selection';
export * from './undo';
export * from './membership';
export * from './requests';
export * from './leave-shared';
