namespace Switchboard.Core.Demo;

/// <summary>The words, places and number plans of one demo locale.</summary>
internal sealed record DemoLocale(
    string BogusLocale,
    string CountryCode,
    string Currency,
    string[] Languages,
    (string Region, string AreaCode)[] Regions,
    string[] MobilePrefixes,
    string[] Tags,
    string[] CompanySuffixes,
    string[] TicketSubjects,
    string[] CallSummaries,
    string[] OpportunityTitles,
    string[] TaskTitles)
{
    public static DemoLocale For(string locale) => locale switch
    {
        "zh-CN" => Chinese,
        "en" or "en-US" => English,
        _ => throw new ArgumentException($"Unknown demo locale '{locale}'; use zh-CN or en.", nameof(locale)),
    };

    public static readonly DemoLocale Chinese = new(
        "zh_CN", "86", "CNY",
        ["zh-CN", "zh-CN", "zh-CN", "zh-CN", "zh-CN", "zh-CN", "zh-CN", "zh-CN", "zh-CN", "en-US"],
        [("CN-11", "10"), ("CN-31", "21"), ("CN-44", "20"), ("CN-44", "755"), ("CN-33", "571"), ("CN-51", "28"), ("CN-42", "27"), ("CN-32", "25")],
        ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159", "182", "183", "187", "188",
         "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "181", "189", "177", "199"],
        ["老客户", "企业客户", "价格敏感", "投诉历史", "续约临近", "新品关注", "高频来电", "海外业务"],
        ["科技有限公司", "贸易有限公司", "实业集团", "电子商务有限公司", "物流有限公司", "信息技术有限公司"],
        ["账单金额有误", "物流延迟", "产品无法开机", "账户无法登录", "申请退款", "发票开具", "会员续费咨询", "投诉服务态度"],
        ["客户咨询订单物流，已告知预计送达时间。", "客户询问产品升级方案，已发送报价。", "客户反映账单问题，已提交工单。",
         "回访满意度，客户表示满意。", "客户要求修改收货地址，已处理。", "客户咨询会员权益，已解答。"],
        ["产品升级", "年度续约", "增购席位", "企业套餐"],
        ["回电确认退款进度", "发送升级报价", "确认续约意向", "跟进投诉处理结果"]);

    public static readonly DemoLocale English = new(
        "en_US", "1", "USD",
        ["en-US", "en-US", "en-US", "en-US", "en-US", "en-US", "en-US", "en-US", "es-US", "zh-CN"],
        [("US-NY", "212"), ("US-CA", "415"), ("US-IL", "312"), ("US-TX", "512"), ("US-WA", "206"), ("US-MA", "617"), ("US-GA", "404"), ("US-CO", "303")],
        [],
        ["repeat-buyer", "enterprise", "price-sensitive", "complaint-history", "renewal-due", "early-adopter", "frequent-caller", "overseas"],
        ["Inc.", "LLC", "Group", "Corp.", "Holdings", "Partners"],
        ["Wrong amount on invoice", "Late delivery", "Device does not power on", "Cannot sign in", "Refund request",
         "Invoice copy", "Membership renewal question", "Complaint about service"],
        ["Asked about delivery status; gave the expected date.", "Asked about upgrading; sent a quote.",
         "Reported a billing problem; ticket opened.", "Satisfaction follow-up; customer happy.",
         "Changed shipping address.", "Asked about membership benefits; explained."],
        ["Product upgrade", "Annual renewal", "Additional seats", "Enterprise plan"],
        ["Call back about refund", "Send upgrade quote", "Confirm renewal", "Follow up on complaint"]);
}
