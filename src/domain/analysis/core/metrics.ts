/** Classification metrics: confusion matrix, per-class precision/recall/F1, macro-F1, accuracy. */

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Evaluation {
  macroF1: number;
  accuracy: number;
  perClass: Record<string, ClassMetrics>;
  /** confusion[i][j]: documents of true label i predicted as j (labels in `labels` order). */
  confusion: number[][];
  labels: string[];
  n: number;
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** Evaluate predicted against true label indices. Macro-F1 averages over labels with support or predictions. */
export function evaluate(labels: readonly string[], yTrue: ArrayLike<number>, yPred: ArrayLike<number>): Evaluation {
  const k = labels.length;
  const confusion = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    confusion[yTrue[i]!]![yPred[i]!]! += 1;
    if (yTrue[i] === yPred[i]) correct++;
  }
  const perClass: Record<string, ClassMetrics> = {};
  let f1Sum = 0;
  let counted = 0;
  for (let c = 0; c < k; c++) {
    const tp = confusion[c]![c]!;
    let fp = 0;
    let fn = 0;
    for (let j = 0; j < k; j++) {
      if (j !== c) {
        fp += confusion[j]![c]!;
        fn += confusion[c]![j]!;
      }
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[labels[c]!] = { precision: round4(precision), recall: round4(recall), f1: round4(f1), support: tp + fn };
    if (tp + fn + fp > 0) {
      f1Sum += f1;
      counted++;
    }
  }
  return {
    macroF1: round4(counted ? f1Sum / counted : 0),
    accuracy: round4(yTrue.length ? correct / yTrue.length : 0),
    perClass,
    confusion,
    labels: [...labels],
    n: yTrue.length,
  };
}
