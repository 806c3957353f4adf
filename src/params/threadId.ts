import type { ParamMatcher } from '@sveltejs/kit';
import { THREAD_ID_PATTERN } from '$lib/schemas';

export const match = ((param: string) => THREAD_ID_PATTERN.test(param)) satisfies ParamMatcher;
