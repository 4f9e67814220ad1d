/**
 * HTTP routes of the analysis module (classifier, suggestions, text). Thin: identify the actor,
 * call a service. The insights routes are registered from their own file.
 */
import { requireActor, type App } from '../../shared/http';
import { assertCan } from '../../shared/authz';
import { SegmentBody } from './contract';
import type { Db } from '../../shared/db';
import type { Clock } from '../../shared/clock';
import type { TextAnalyzerCache } from './text/analyzer';

export interface AnalysisDeps {
  db: Db;
  clock: Clock;
  textAnalyzers: TextAnalyzerCache;
}

export function analysisRoutes(app: App, deps: AnalysisDeps) {
  const tags = ['analysis'];
  app.post('/api/v1/analysis/segment', { schema: { tags, summary: '分词 Segment a text with the district dictionary', body: SegmentBody } }, async (req) => {
    const actor = requireActor(req);
    assertCan(actor, 'analysis.read');
    const analyzer = await deps.textAnalyzers.get(deps.db, actor.districtCode);
    const normalized = analyzer.normalize(req.body.text);
    return { normalized, tokens: analyzer.tokens(normalized, { normalized: true }) };
  });
}
