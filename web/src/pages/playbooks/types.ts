// Shapes of atio's playbook answers that only the playbook pages read
// (docs/api.md "playbooks", "playbook versions", "protection").

export interface VersionAuthor {
  id: string;
  kind: string; // key or user
  name: string;
}

export interface PlaybookVersionInfo {
  playbook_id: string;
  version: number;
  hash: string;
  name: string;
  author: VersionAuthor;
  time: string;
  comment: string;
}

export interface PlaybookVersionList {
  playbook_id: string;
  versions: PlaybookVersionInfo[];
}

export interface PlaybookVersion extends PlaybookVersionInfo {
  document: unknown;
}

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

export interface PlaybookDiff {
  playbook_id: string;
  from: PlaybookVersionInfo;
  to: PlaybookVersionInfo;
  diff: JsonPatchOp[];
}

export interface PlaybookRef {
  id: string;
  version: string;
  name: string;
}

export interface PlaybookRestored {
  id: string;
  restored_from: number;
  version: PlaybookVersionInfo;
}
