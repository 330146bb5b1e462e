import { MigrationInterface, QueryRunner } from 'typeorm';

export class Catalogue1764300000001 implements MigrationInterface {
  name = 'Catalogue1764300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        code text PRIMARY KEY,
        name text NOT NULL,
        short_name text,
        level text NOT NULL CHECK (level IN ('province', 'city', 'county')),
        region char(6) NOT NULL,
        aliases text[] NOT NULL DEFAULT '{}',
        roles text[] NOT NULL DEFAULT '{}',
        mapping text,
        note text,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE memoranda (
        code text PRIMARY KEY,
        name text NOT NULL,
        doc_no text,
        doc_no_uncertain boolean NOT NULL DEFAULT false,
        year int,
        kind text NOT NULL CHECK (kind IN ('punishment', 'reward')),
        status text NOT NULL CHECK (status IN ('in-force', 'expired')),
        initiating_organization text NOT NULL REFERENCES organizations (code),
        signatory_count int
      )`);
    await q.query(`
      CREATE TABLE list_types (
        code text PRIMARY KEY,
        name text NOT NULL,
        colour text NOT NULL CHECK (colour IN ('red', 'black')),
        identifying_organization text NOT NULL REFERENCES organizations (code),
        repairable boolean NOT NULL,
        default_validity_days int,
        subject_kinds text[] NOT NULL,
        memoranda text[] NOT NULL
      )`);
    await q.query(`
      CREATE TABLE measures (
        code text PRIMARY KEY,
        text text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('punishment', 'reward')),
        category text,
        memorandum text NOT NULL REFERENCES memoranda (code),
        list_type text NOT NULL REFERENCES list_types (code),
        legal_basis text[] NOT NULL DEFAULT '{}',
        applies_to text NOT NULL CHECK (applies_to IN ('subject', 'legal-representative', 'both')),
        subject_kinds text[] NOT NULL,
        feedback_due_working_days int NOT NULL,
        needs_full_id_number boolean NOT NULL DEFAULT false,
        mapping_inferred boolean NOT NULL DEFAULT false,
        -- in force from / to (inclusive); a city's own measure carries the city's code
        effective_from date,
        effective_to date,
        scope_region char(6)
      )`);
    await q.query(`CREATE INDEX measures_list_type ON measures (list_type)`);
    await q.query(`
      CREATE TABLE measure_implementers (
        measure_code text NOT NULL REFERENCES measures (code),
        organization_code text NOT NULL REFERENCES organizations (code),
        PRIMARY KEY (measure_code, organization_code)
      )`);
    await q.query(`
      CREATE TABLE catalogue_versions (
        version int PRIMARY KEY,
        published_at timestamptz NOT NULL DEFAULT now(),
        note text
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'catalogue_versions',
      'measure_implementers',
      'measures',
      'list_types',
      'memoranda',
      'organizations',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}
