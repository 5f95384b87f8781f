export declare const LAYERS: readonly (readonly string[])[];
export declare function forbiddenFor(folder: string): string[];
export declare function importPatternOf(target: string): string;
