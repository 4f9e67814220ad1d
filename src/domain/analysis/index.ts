/** The analysis module's public face (自动分析): the only file other modules and the composition roots import. */
export { TextAnalyzer, TextAnalyzerCache, loadDictionary, type AnalyzerDictionary } from './text/analyzer';
export { normalize, charNgrams, filterTokens, STOP_WORDS } from './core/text';
export { analysisRoutes, type AnalysisDeps } from './routes';
// classifier (model train/eval, versions, suggestions)
export { CategoryPredictor, trainOnRows, evaluateOnRows, toDoc, type EvalResult } from './classify';
export { encodeModel, decodeModel, MODEL_FORMAT } from './models.codec';
export { parseLabelledJsonl, LabelledFileError, type LabelledRow } from './core/labelled';
export { DEFAULT_TRAIN, type TrainProgress, type TrainOptions, type CategoryModel, type TrainReport } from './core/classifier';
export * as modelsService from './models';
// insights: duplicates, hot issues, 主动治理, knowledge base, reply quality
export { hotRoutes } from './hot.routes';
export { knowledgeRoutes } from './knowledge.routes';
export { duplicatesRoutes } from './duplicates.routes';
export * as hotService from './hot';
export * as knowledgeService from './knowledge';
export * as replyService from './reply';
export * as duplicatesService from './duplicates';
export { seedDemoKnowledge } from './knowledge.demo';
