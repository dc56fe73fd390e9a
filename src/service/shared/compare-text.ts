/**
 * The one order of text in answers: by UTF-16 code unit, as JavaScript's `<` compares.
 * Not localeCompare: answers must sort the same on every server whatever its locale, and
 * the same as the backends' binary string order.
 */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
