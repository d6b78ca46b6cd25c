// The exports of js-callers.js (plain JavaScript, deliberately untyped: `any` everywhere).
export const lib: any;
export const Chart: any;
export const baselines: { [className: string]: (chart: any) => any };
export function catalogBaseline(chart: any): any;
export function build(className: string, props: any): { chart: any; construct: any };
export function synthError(chart: any): string | undefined;
export function errorWith(className: string, change: (props: any, chart: any) => void): string | undefined;
export function image(scope: any, id?: string): any;
export function storage(scope: any, id: string, name: string, mountPath: string): any;
export function service(scope: any): any;
