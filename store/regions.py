"""The province, its 11 cities and their county-level areas (2020 boundaries,
plus names the documents still use, such as 奉化市, and functional areas such as
南太湖新区).  Plain data: the importers use it to recognise places, the store
seeds its region table from it.
"""
PROVINCE = "浙江省"

COUNTIES: dict[str, list[str]] = {
    "杭州": ["上城区", "下城区", "江干区", "拱墅区", "西湖区", "滨江区", "萧山区", "余杭区",
             "富阳区", "临安区", "临平区", "钱塘区", "桐庐县", "淳安县", "建德市"],
    "宁波": ["海曙区", "江北区", "北仑区", "镇海区", "鄞州区", "奉化区", "余姚市", "慈溪市",
             "象山县", "宁海县"],
    "温州": ["鹿城区", "龙湾区", "瓯海区", "洞头区", "永嘉县", "平阳县", "苍南县", "文成县",
             "泰顺县", "瑞安市", "乐清市", "龙港市"],
    "嘉兴": ["南湖区", "秀洲区", "嘉善县", "海盐县", "海宁市", "平湖市", "桐乡市"],
    "湖州": ["吴兴区", "南浔区", "德清县", "长兴县", "安吉县", "南太湖新区"],
    "绍兴": ["越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"],
    "金华": ["婺城区", "金东区", "武义县", "浦江县", "磐安县", "兰溪市", "义乌市", "东阳市",
             "永康市"],
    "衢州": ["柯城区", "衢江区", "常山县", "开化县", "龙游县", "江山市"],
    "舟山": ["定海区", "普陀区", "岱山县", "嵊泗县"],
    "台州": ["椒江区", "黄岩区", "路桥区", "玉环市", "三门县", "天台县", "仙居县", "温岭市",
             "临海市"],
    "丽水": ["莲都区", "青田县", "缙云县", "遂昌县", "松阳县", "云和县", "庆元县",
             "景宁畲族自治县", "龙泉市"],
}

CITIES: list[str] = list(COUNTIES)

# Names as the documents write them -> the county's current name.
COUNTY_ALIASES: dict[str, str] = {"奉化市": "奉化区", "景宁县": "景宁畲族自治县"}

