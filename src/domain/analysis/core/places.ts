/**
 * Places named in a message: administrative codes (the district's own names, or letter codes
 * such as "A市A5区" in the public data) by pattern, and named places — communities, roads,
 * villages, schools, estates — from the segmentation: a token ending in a place word
 * (小区, 路, 村, 学院 …) extended left over the name tokens before it. Pure: `cut` is the raw
 * segmentation (every token, in order, no stop-word removal).
 */

export interface PlaceMention {
  /** Administrative prefix found near the name, e.g. "A市A5区" or "市南区"; null if none. */
  admin: string | null;
  /** The named place, e.g. "魅力之城小区", "联丰路"; null when only an admin area is named. */
  name: string | null;
}

/** Words that end a place name, most specific first. */
const SUFFIXES = [
  '小区', '社区', '街道', '大道', '广场', '花园', '花苑', '家园', '公寓', '大厦', '新城', '新村', '学院', '大学', '中学', '小学',
  '幼儿园', '学校', '医院', '公园', '市场', '车站', '园区', '工业园', '商场', '酒店', '村', '组', '镇', '乡', '路', '街', '巷', '桥',
  '苑', '园', '府', '湾', '城', '庭', '郡', '港', '湖', '山', '站', '厂', '滩', '洲', '岛', '坪', '岭', '塘',
];

/** A whole token that is a common noun, not a name, even though it ends in a place word. */
const GENERIC = new Set([
  '城市', '农村', '乡村', '城乡', '城镇', '县城', '全城', '进城', '学校', '医院', '公园', '市场', '小区', '社区', '街道', '道路', '马路', '公路',
  '车站', '家园', '花园', '校园', '园区', '工业园', '幼儿园', '大学', '中学', '小学', '学院', '村组', '全村', '本村', '该村', '我村', '村里',
  '小组', '组织', '乡镇', '城区', '市区', '一路', '沿路', '出路', '走路', '修路', '线路', '思路', '门路', '路上', '路面', '路段', '路口', '路灯',
  '街上', '大街', '商场', '酒店', '广场', '公寓', '大厦', '新城', '长城', '工厂', '厂里', '现场', '立场', '场所', '市场', '广场舞', '停车场',
  '球场', '操场', '商城', '里面', '这里', '那里', '哪里', '家里', '心里', '夜里', '公里', '万里', '邻里', '湖南', '湖北', '山东', '山西',
  '上山', '下山', '机场', '农场', '养殖场', '搅拌站', '加油站', '垃圾站', '中转站', '网站', '车站', '中心站', '本组', '该组', '居民', '居住',
  '定居', '家居', '故居', '移居', '同居', '港口', '香港', '政府', '地府', '学府', '官府', '庭院', '法庭', '家庭', '花苑', '园林', '果园', '菜园',
  '田园', '庄园', '乐园', '校园', '公园', '动物园', '桥梁', '天桥', '大桥', '立交桥', '乡下', '老乡', '家乡', '城管', '城区',
  '海滩', '沙滩', '河滩', '小岛', '岛屿', '池塘', '水塘', '鱼塘', '山岭', '草坪', '地坪', '绿洲',
]);

/** Tokens that cannot be part of a name: a name never extends left over them. */
const STOP_LEFT = new Set([
  '的', '在', '位于', '地处', '坐落', '座落', '是', '我', '我们', '我家', '你', '他', '她', '他们', '和', '与', '及', '或', '对', '了', '向', '从', '于', '到',
  '住', '住在', '家住', '称', '反映', '关于', '请', '附近', '周边', '一带', '旁边', '门口', '对面', '该', '本', '此', '这', '那', '这个', '那个', '这里',
  '所在', '整个', '各', '个', '为', '由', '把', '被', '让', '给', '将', '就', '也', '都', '还', '又', '再', '很', '太', '有', '没有', '无', '不', '要',
  '市', '区', '县', '省', '西地省', '近日', '目前', '现在', '以前', '去年', '今年', '一个', '一些', '什么', '怎么', '为什么', '如何', '能否', '是否',
  '咨询', '投诉', '举报', '建议', '希望', '要求', '强烈', '问题', '情况', '解决', '处理', '小区', '社区', '业主', '居民', '村民', '市民', '网友',
  // verbs and fillers seen right before place names in citizen messages
  '系', '本人', '属于', '作为', '接到', '调整', '正是', '却', '占用', '靠近', '经过', '距离', '每次', '去', '来', '朝向', '衷心', '横跨', '进入',
  '安装', '好', '但是', '通过', '至', '取得', '就读', '小孩', '孩子', '楼栋', '纯', '住宅', '配套', '绝大部分', '全权', '沿', '沿着', '途经',
  '前往', '回到', '搬到', '买', '购买', '入住', '居住', '在建', '新建', '修建', '建设', '开发', '位置', '地段', '地址', '旁', '中间', '之间', '交汇处', '路口', '出口', '入口', '号', '栋', '幢', '期', '楼', '层', '单元',
  '必须', '已经', '正在', '一直', '经常', '每天', '晚上', '白天', '凌晨', '夜间', '某', '多个', '几个', '所有', '全部', '部分', '其他', '其它',
]);

const LETTER_ADMIN = /^(?:[A-Z]市)?[A-Z]\d{0,2}[区县市]$/;
const CJK_OR_ALNUM = /^[\u4e00-\u9fa5A-Za-z0-9]+$/;
const CJK = /[\u4e00-\u9fa5]/;

/** Letter-code administrative areas ("A市A5区" → "A市A5区", "A3区"), in order of appearance. */
export function adminCodes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:[A-Z]市)?[A-Z]\d{0,2}[区县](?![A-Za-z])|[A-Z]市(?![A-Z]\d{0,2}[区县])/g)) out.push(m[0]);
  return out;
}

function endsWithSuffix(token: string): string | null {
  for (const s of SUFFIXES) if (token.endsWith(s)) return s;
  return null;
}

/**
 * Named places in reading order, each with the nearest administrative code before it (within
 * the same sentence). Duplicates are kept out; at most `limit` are returned.
 */
export function extractPlaces(text: string, cut: (text: string) => string[], limit = 6): PlaceMention[] {
  const out: PlaceMention[] = [];
  const seen = new Set<string>();
  for (const sentence of text.split(/[。！？!?；;\n，,、：:（）()【】[\]“”"'《》 ]+/)) {
    if (!sentence) continue;
    const admins = adminCodes(sentence);
    const lastAdmin = admins.length ? admins[admins.length - 1]! : null;
    // Letter codes are cut out first so "A市A5区魅力之城" segments as "魅力之城".
    const parts = sentence.split(/(?:[A-Z]市)?[A-Z]\d{0,2}[区县市]?(?![a-z])/).filter(Boolean);
    for (const part of parts) {
      const tokens = cut(part).filter((t) => t.trim() !== '');
      for (let i = 0; i < tokens.length; i++) {
        const tok = tokens[i]!;
        const suffix = endsWithSuffix(tok);
        if (!suffix || !CJK_OR_ALNUM.test(tok)) continue;
        if (GENERIC.has(tok) && tok !== suffix) continue;
        // The next token continuing a place word ("小区" + "门口") is fine; "城" + "管" is not a place.
        let name = tok;
        let j = i - 1;
        let taken = 0;
        while (j >= 0 && taken < 3) {
          const prev = tokens[j]!;
          if (STOP_LEFT.has(prev) || !CJK_OR_ALNUM.test(prev) || LETTER_ADMIN.test(prev) || GENERIC.has(prev) || /^\d+$/.test(prev)) break;
          if (name.length + prev.length > 12) break;
          name = prev + name;
          taken++;
          j--;
        }
        // A single-character place word needs a name of at least two characters before it.
        const stem = name.slice(0, name.length - suffix.length);
        if (stem.length < 2) continue;
        if (!CJK.test(stem) && !/\d/.test(stem)) continue;
        if (GENERIC.has(name) || /政府$|[区县]府$/.test(name)) continue;
        if (seen.has(name)) continue;
        seen.add(name);
        out.push({ admin: lastAdmin, name });
        if (out.length >= limit) return out;
      }
    }
  }
  if (out.length === 0) {
    const admins = adminCodes(text);
    if (admins.length) out.push({ admin: longestAdmin(admins), name: null });
  }
  return out;
}

/** The most specific of several admin codes: "A市A5区" over "A市". */
export function longestAdmin(codes: readonly string[]): string | null {
  let best: string | null = null;
  for (const c of codes) if (!best || c.length > best.length) best = c;
  return best;
}

export function placeLabel(p: PlaceMention): string {
  if (p.admin && p.name) return `${p.admin}${p.name}`;
  return p.name ?? p.admin ?? '';
}
