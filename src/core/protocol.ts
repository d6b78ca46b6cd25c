/** Transport protocol of a port. */
export enum Protocol {
  /** TCP. */
  TCP = 'TCP',
  /** UDP. */
  UDP = 'UDP',
}
