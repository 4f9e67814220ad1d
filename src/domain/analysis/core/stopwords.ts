/**
 * The project's stop-word list for citizen messages, written for this project: Chinese function
 * words (particles, pronouns, conjunctions, auxiliaries) plus the politeness formulas of hotline
 * messages (尊敬的领导, 您好, 谢谢, 望予以解决 …) that appear in every category and carry no topic.
 * Words that carry topic (投诉, 噪音, 物业 …) are deliberately not here.
 */
const FUNCTION_WORDS = `
的 地 得 了 着 过 吗 呢 吧 啊 呀 哦 嘛 么 哈 啦 咯 嗯 哎 唉 呐
我 你 您 他 她 它 我们 你们 您们 他们 她们 它们 咱们 大家 自己 本人 人家 别人
这 那 这个 那个 这些 那些 这里 那里 这儿 那儿 这样 那样 这么 那么 这种 那种 此 其 其中 该 各 每 某
之 与 及 和 跟 同 或 或者 以及 并 并且 而 而且 且 但 但是 可是 然而 不过 只是 因为 所以 因此 因而 由于 如果 假如 若 即使 虽然 尽管 于是 然后 那么 否则 还是 而是 就是 即 则
在 于 从 自 自从 向 往 对 对于 关于 把 被 给 让 叫 为 为了 以 按 按照 根据 通过 经过 除了 比 由 至 到 直到 沿着 随着
是 有 没 没有 不 也 都 就 还 又 再 才 已 已经 曾 曾经 正在 将 将要 会 能 能够 可以 可 要 想 应 应该 应当 需要 得到 一直 一些 一点 一下 一个 一种 一样 一起 一切 一般
很 太 更 最 非常 十分 特别 比较 挺 真 尤其 仅 仅仅 只 只有 只要 总 总是 往往 经常 常常 都是 也是 还有 等 等等 之类 什么 怎么 怎样 如何 为何 为什么 哪 哪里 哪些 哪个 多少 几 几个 谁
上 下 中 里 内 外 前 后 时 时候 之后 之前 以后 以前 以上 以下 之间 当中 其他 其它 另外 另 此外 同时 目前 现在 现 今 今天 当时
个 些 位 次 件 条 种 年 月 日 号 天 点 多 少 来 去 说 看 做 作 使 用 由于 对此 如此 所 所有 任何 一切 个人
`;

const HOTLINE_FORMULAS = `
尊敬 尊敬的 领导 各位 各位领导 您好 你好 好 谢谢 感谢 非常感谢 麻烦 辛苦 请 请问 望 希望 恳请 恳求 盼 盼望 期望
予以 给予 解决 处理 尽快 及时 相关 有关 部门 相关部门 有关部门 问题 情况 反映 反应 现象 一下子 此事 这件 事情 事 时间
谢谢您 谢谢你们 感谢您 此致 敬礼 附件 留言 网友 市民 群众 老百姓 我们的 我的 你们的
`;

export const STOP_WORDS: ReadonlySet<string> = new Set(
  `${FUNCTION_WORDS}\n${HOTLINE_FORMULAS}`.split(/\s+/).filter((w) => w.length > 0),
);
