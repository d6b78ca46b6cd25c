/** A word for a POSIX shell command line: as is when plainly safe, else single-quoted. @internal */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, '\'\\\'\'')}'`;
}
