/** Types for what test/layers.test.ts reads from eslint.config.mjs. */
export declare const LIB_ORDER: string[];
declare const config: unknown[];
export default config;
