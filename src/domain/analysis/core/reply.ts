/**
 * Reply quality (答复质量): a score out of 100 for a handler's reply to a request, built from
 * three parts, and the reasons a reply is weak. See docs/REPLY-QUALITY.md for the method and how
 * it ranks the real replies.
 *
 *   score = 100 · (0.4·relevance + 0.4·completeness + 0.2·timeliness), then capped for
 *   replies that are only an acknowledgement (≤ 15) or too short to say anything (≤ 25).
 *
 * - relevance: the idf-weighted share of the request's key words (its top terms, title counted
 *   twice) that the reply mentions, not counting a quotation of the request's title;
 * - completeness: five elements, each a set of patterns — it addresses the request (mentions one of the
 *   title's key words), states facts (经调查/核实…), states an action (已责令/将督促…),
 *   a time (a date or a time limit other than the signature date), a contact (电话, 联系…);
 * - timeliness: 1 within the time limit, then decaying (e-folding over three limits).
 */

export type ReplyFlag = 'too_short' | 'boilerplate' | 'referral_only' | 'off_topic' | 'no_facts' | 'no_action' | 'no_time' | 'no_contact' | 'late';

export const REPLY_FLAG_TEXT: Record<ReplyFlag, { zh: string; en: string }> = {
  too_short: { zh: '答复过短，没有说明任何情况', en: 'Too short to say anything' },
  boilerplate: { zh: '只有“已收悉”之类的套话', en: 'Only an acknowledgement ("received")' },
  referral_only: { zh: '只让群众去找其他部门，没有办理', en: 'Only refers the person elsewhere' },
  off_topic: { zh: '答复与诉求内容关联弱（未提到诉求的关键事项）', en: 'Barely related to the request (misses its key points)' },
  no_facts: { zh: '没有说明调查核实的事实', en: 'States no facts found' },
  no_action: { zh: '没有说明采取或将采取的措施', en: 'States no action taken or planned' },
  no_time: { zh: '没有办理时间或时限', en: 'Gives no date or time limit' },
  no_contact: { zh: '没有联系方式', en: 'Gives no contact' },
  late: { zh: '答复超出办理时限', en: 'Replied after the time limit' },
};

export interface ReplyInput {
  title: string;
  body: string;
  reply: string;
  /** Days from the request to the reply (or to now, before sending). */
  elapsedDays: number;
  /** The time limit in days (default 15: a common 12345 handling limit in calendar days). */
  limitDays?: number;
}

export interface ReplyScore {
  score: number;
  weak: boolean;
  relevance: number;
  completeness: number;
  timeliness: number;
  elements: { addresses: boolean; facts: boolean; action: boolean; time: boolean; contact: boolean };
  /** The request's key words the reply mentions, and those it does not. */
  covered: string[];
  missed: string[];
  flags: ReplyFlag[];
  reasons: Array<{ flag: ReplyFlag; zh: string; en: string }>;
}

const FACTS = /经(过)?(调查|核实|核查|查|了解|实地|现场|走访|排查|检查|研究|协调)|调查(了解|核实|发现)|据(了解|核实|调查)|现场(查看|核实|检查|勘察)|核实情况|情况如下|实地(查看|走访|调查)|走访/;
const ACTION =
  /已(经)?(责令|要求|安排|督促|协调|整改|处理|修复|维修|清理|清除|拆除|完成|立案|约谈|下发|落实|解决|办理|恢复|开展|组织|派|对|将|告知|联系|答复|纳入|启动|暂停|停止|查处|处罚|罚款|退还|发放|补发)|将(会)?(督促|加强|安排|协调|尽快|继续|组织|依法|进一步|及时|按照|对|把|在|于|进行|采取|积极)|责令|整改|限期|立即|予以|依法(处理|查处|处罚)|正在(处理|办理|推进|协调|建设|施工)|列入|纳入/;
const TIME = /\d{4}年\d{1,2}月(\d{1,2}日)?|\d{1,2}月(\d{1,2}日|底|中旬|上旬|下旬)|\d+\s*(个)?(工作日|日|天|周|个月|月)(内|之内|前|后)|(年底|月底|年内|近期|本周|下周|本月|下月|今年|明年)(前|内|完成|开工|完工)?|[一二三四五六七八九十两]+(个)?(工作日|天|周|个月)(内|之内)/;
const CONTACT = /电话|联系(人|方式|我|我们|本)|咨询(电话|热线)|热线|\d{3,4}-\d{7,8}|\d{7,8}|0{3,4}-0{7,8}|办公室|窗口|服务中心|邮箱|地址[:：]/;
const ACK_ONLY = /^[\s\p{P}]*(网友|尊敬的网友|您好|你好|[:：,，!！。])*(您的|你的)?(留言|来信|信件|反映的问题|问题)?(已|我们已|我单位已)?(收悉|收到)[\s\p{P}]*(谢谢|感谢)?[\s\p{P}]*$/u;
const REFERRAL = /^(.{0,20})(请|建议)(您)?(向|到|咨询|联系|拨打|致电)/;
/** A signature date at the end ("2019年5月9日") is not a time commitment. */
const TRAILING_DATE = /\s*\d{4}年\d{1,2}月\d{1,2}日[。.\s]*$/;

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * Scores one reply. `keyTerms` are the request's key words with their weights (top terms of its
 * TF-IDF vector; the caller segments), `titleTerms` the title's own key words.
 */
export function scoreReply(input: ReplyInput, keyTerms: ReadonlyArray<{ term: string; weight: number }>, titleTerms: readonly string[]): ReplyScore {
  const reply = input.reply.replace(/\s+/g, '');
  const body = reply.replace(TRAILING_DATE, '');
  // Quoting the request's title back is not discussing it: relevance is measured without it.
  const title = input.title.replace(/\s+/g, '');
  const discussed = title.length >= 4 ? body.split(title).join('') : body;
  const contentLength = body.replace(/[\p{P}\s]/gu, '').length;

  let total = 0;
  let got = 0;
  const covered: string[] = [];
  const missed: string[] = [];
  for (const { term, weight } of keyTerms) {
    total += weight;
    if (discussed.includes(term)) {
      got += weight;
      covered.push(term);
    } else missed.push(term);
  }
  // Mentioning about two thirds of the key words is as relevant as a reply gets.
  const relevance = total > 0 ? Math.min(1, got / total / 0.66) : 0;

  const elements = {
    addresses: titleTerms.some((t) => reply.includes(t)),
    facts: FACTS.test(body),
    action: ACTION.test(body),
    time: TIME.test(body),
    contact: CONTACT.test(body),
  };
  const completeness = 0.25 * +elements.addresses + 0.2 * +elements.facts + 0.25 * +elements.action + 0.15 * +elements.time + 0.15 * +elements.contact;

  const limit = input.limitDays ?? 15;
  const elapsed = Math.max(0, input.elapsedDays);
  const timeliness = elapsed <= limit ? 1 : Math.exp(-(elapsed - limit) / (3 * limit));

  let score = 100 * (0.4 * relevance + 0.4 * completeness + 0.2 * timeliness);
  const flags: ReplyFlag[] = [];
  if (ACK_ONLY.test(body) || (contentLength < 20 && /收悉|收到/.test(body))) {
    flags.push('boilerplate');
    score = Math.min(score, 15);
  } else if (contentLength < 30) {
    flags.push('too_short');
    score = Math.min(score, 25);
  }
  if (contentLength < 60 && REFERRAL.test(body)) flags.push('referral_only');
  if (keyTerms.length > 0 && relevance < 0.3) flags.push('off_topic');
  if (!elements.facts) flags.push('no_facts');
  if (!elements.action) flags.push('no_action');
  if (!elements.time) flags.push('no_time');
  if (!elements.contact) flags.push('no_contact');
  if (elapsed > limit) flags.push('late');
  score = Math.round(score * 10) / 10;
  const severe = flags.some((f) => f === 'boilerplate' || f === 'too_short' || f === 'referral_only' || f === 'off_topic');
  return {
    score,
    weak: score < 50 || severe,
    relevance: round(relevance),
    completeness: round(completeness),
    timeliness: round(timeliness),
    elements,
    covered,
    missed,
    flags,
    reasons: flags.map((flag) => ({ flag, ...REPLY_FLAG_TEXT[flag] })),
  };
}

/** The request's key words: the top `k` terms of its TF-IDF vector (title counted twice), and the title's top 3. */
export function requestKeyTerms(
  title: string,
  body: string,
  tokenize: (text: string) => string[],
  idf: (term: string) => number,
  k = 10,
): { keyTerms: Array<{ term: string; weight: number }>; titleTerms: string[] } {
  const weigh = (tokens: string[]) => {
    const tf = new Map<string, number>();
    for (const t of tokens) if ([...t].length >= 2 && !/^\d+$/.test(t)) tf.set(t, (tf.get(t) ?? 0) + 1);
    return [...tf.entries()]
      .map(([term, n]) => ({ term, weight: (1 + Math.log(n)) * idf(term) }))
      .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : 1));
  };
  const titleTokens = tokenize(title);
  return {
    keyTerms: weigh([...titleTokens, ...titleTokens, ...tokenize(body)]).slice(0, k),
    titleTerms: weigh(titleTokens).slice(0, 3).map((x) => x.term),
  };
}
