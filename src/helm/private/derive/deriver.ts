/**
 * What every deriver of the chart works with: the release context of one environment's objects, and
 * what a deriver produces for one object.
 */
import { DnsIndex } from './dns';
import { ReleaseNames } from '../release-names';
import { ParamSpec, Slot } from '../template-model';
import { Layout } from '../value-sections';

/** Everything release-awareness needs about one environment's objects. */
export interface ReleaseContext {
  readonly layout: Layout;
  readonly release: ReleaseNames;
  readonly dns: DnsIndex;
}

/** What a plan-building step produces for one object. */
export interface Derived {
  readonly slots: Slot[];
  readonly params: ParamSpec[];
  readonly condition?: string;
}
