import { deadLetterSuite } from './support/dead-letters';

deadLetterSuite('kafka');
