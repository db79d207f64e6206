// CPE names as SBOMs carry them: the 2.3 formatted string (NISTIR 7695 §6.2, the pattern the SPDX
// and CycloneDX tooling use) or the 2.2 URI binding (cpe:/a:vendor:product:version).
const CPE23_COMPONENT = String.raw`(?:\*|-|(?:\?*|\*?)(?:[A-Za-z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@\[\]^\x60{|}~])+(?:\?*|\*?))`;
const CPE23 = new RegExp(
  `^cpe:2\\.3:[aho*\\-](?::${CPE23_COMPONENT}){5}:(?:[A-Za-z]{2,3}(?:-(?:[A-Za-z]{2}|[0-9]{3}))?|[*\\-])(?::${CPE23_COMPONENT}){4}$`,
);
const CPE22 = /^[cC][pP][eE]:\/[AHOaho]?(?::[A-Za-z0-9._\-~%]*){0,6}$/;

export function isCpe(value: string): boolean {
  return CPE23.test(value) || CPE22.test(value);
}
