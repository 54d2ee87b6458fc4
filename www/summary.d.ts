export type Summary = import('./types.js').Summary;
export type Score = import('./types.js').Score;
export type State = import('./types.js').State;
export type TreeView = import('./types.js').TreeView;
/**
 * A learned number as the summary shows it (src/format.rs `number`): 3 significant digits, plain
 * while the exponent is in −3…2, else `1.23e150`; the minus sign is U+2212.
 * @param {number} v
 */
export declare function number(v: number): string;
/** `number` for TeX: a `-` sign, `×10^{e}` for scientific notation. @param {number} v */
export declare function texNumber(v: number): string;
/** The name of input `j` (0-based): the session's, else `x` alone or `x₁`, `x₂`, …. @param {Summary} s @param {number} j */
export declare function inputName(s: Summary, j: number): string;
/** A feature (`x1²`, `x1·x2`, `sin(x1)`) with its inputs named. @param {Summary} s @param {string} feature */
export declare function featureText(s: Summary, feature: string): string;
/** A feature in TeX. @param {Summary} s @param {string} feature */
export declare function featureTex(s: Summary, feature: string): string;
/** `2.00·x − 3.00`: a score as text (signs between the terms, as Rust wrote it). @param {Summary} s @param {Score} score */
export declare function scoreText(s: Summary, score: Score): string;
/** A score in TeX: `0.700\,x + 0.500`. @param {Summary} s @param {Score} score */
export declare function scoreTex(s: Summary, score: Score): string;
/**
 * The summary as one line of text in the page's language (`summary.<code>` with its values and
 * formula).
 * @param {Summary} s
 * @returns {string}
 */
export declare function summaryText(s: Summary): string;
/** The model's formula in TeX with its current numbers ('' when it has none). @param {Summary} s */
export declare function formulaTex(s: Summary): string;
/**
 * The decision path of the point that falls in `leaf` as a chain of inequalities, from the
 * tree's diagram (`x_1 \le 0.35 \to x_2 > -0.2 \to` leaf: its class or mean), or '' when there
 * is none.
 * @param {Summary} s @param {TreeView} tree @param {number} leaf @param {string[]} classNames
 */
export declare function treePathTex(s: Summary, tree: TreeView, leaf: number, classNames: string[]): string;
/**
 * The training objective and the optimiser's update rule in TeX, with the settings and the
 * current learning rate (`rate`, from the schedule; the set rate when there is none); '' for a
 * model fitted in closed form.
 * @param {State} state @param {'regression' | 'classification' | 'clustering'} task @param {number} classes @param {number | null} rate
 * @param {number | null} objective the objective's current value, when known
 */
export declare function trainingTex(state: State, task: 'regression' | 'classification' | 'clustering', classes: number, rate: number | null, objective: number | null): string;
