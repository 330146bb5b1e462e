export interface TestToolsState {
  present: Record<string, boolean>;
  isRoot: boolean;
  hasApt: boolean;
  onlyKafka?: boolean;
  externalKafka?: boolean;
}

export interface TestToolsPlan {
  action: 'none' | 'install' | 'stop';
  missing: string[];
  packages: string[];
  command?: string;
}

export function planTestTools(state: TestToolsState): TestToolsPlan;
export const TOOLS: { name: string; package: string; for: string; kafka: boolean }[];
