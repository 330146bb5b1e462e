import { deadLetterSuite } from './support/dead-letters';

deadLetterSuite('in-process');
