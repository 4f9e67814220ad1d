/** The analysis module's public face (自动分析): the only file other modules and the composition roots import. */
export { TextAnalyzer, TextAnalyzerCache, loadDictionary, type AnalyzerDictionary } from './text/analyzer';
export { normalize, charNgrams, filterTokens, STOP_WORDS } from './core/text';
export { analysisRoutes, type AnalysisDeps } from './routes';
