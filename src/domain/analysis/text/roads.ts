/**
 * Road and landmark names of 市南区 (Qingdao) that residents write in messages, written by the
 * project from general knowledge (street signs), so that the segmenter keeps 香港中路 or
 * 栈桥 whole. A district other than 370202 starts with none; its own place names come from the
 * areas table. A deployment can extend this list (a data file of the district would be next).
 */
export const ROADS_BY_DISTRICT: Readonly<Record<string, readonly string[]>> = {
  '370202': [
    '香港中路', '香港西路', '东海西路', '东海中路', '南京路', '山东路', '延安三路', '延安一路', '中山路', '太平路',
    '湛山大路', '湛山路', '燕儿岛路', '福州南路', '澳门路', '宁夏路', '江西路', '云南路', '西藏路', '广西路',
    '湖南路', '湖北路', '河南路', '天津路', '费县路', '莱阳路', '文登路', '漳州路', '闽江路', '徐州路',
    '金湖路', '银川西路', '珠海路', '汇泉路', '正阳关路', '八大关', '栈桥', '五四广场', '汇泉湾', '小鱼山',
    '信号山', '八大峡', '团岛', '太平角', '浮山湾', '奥帆中心', '天后宫', '劈柴院', '台西',
  ],
};
