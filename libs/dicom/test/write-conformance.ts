// Rewrites libs/dicom/CONFORMANCE.md from conformance-cases.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASES } from './conformance-cases';
import { renderConformance } from './conformance-table';
import { FIXTURES } from './oracle-compare';

writeFileSync(join(FIXTURES, '..', 'CONFORMANCE.md'), renderConformance(CASES));
