// The console's language. zh-CN is the only one so far; adding one means adding a file of the same
// shape (typed `Strings`) and choosing it here.
import { zhCN, type Strings } from './zh-CN.ts';

const LANGUAGES: Record<string, Strings> = { 'zh-CN': zhCN };

export const t: Strings = LANGUAGES['zh-CN'] ?? zhCN;
export type { Strings };
