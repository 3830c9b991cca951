using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Knowledge;
using Switchboard.Core.Persistence;
using Switchboard.Core.Speech;

namespace Switchboard.Core.Demo;

/// <summary>The demo's speech rules and knowledge base articles (once, into an empty store), to try on /admin/speech.html and the desktop.</summary>
internal sealed class DemoSpeech(SwitchboardDbContext db, SpeechRuleService rules, KnowledgeService articles)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!await db.SpeechRuleSets.AnyAsync(cancellationToken))
        {
            await rules.SaveAsync(new SpeechRuleSetDocument(
            [
                new("competitor", "客户提到竞品 / competitor named", [new(Said: ["招商银行", "优品汇", "BetterBank", "other bank*"], By: "customer")],
                    [new("script", "竞品对比话术", "我们的信用卡首年免年费，刷卡满六次次年免年费，并提供24小时人工服务。"), new("tag", Tag: "competitor")]),
                new("regulator", "监管投诉风险 / regulator complaint", [new(Said: ["银保监会", "金融监管局", "律师", "lawyer", "regulator", "ombudsman"], By: "customer")],
                    [new("warning", "风险提示", "请安抚客户，完整记录诉求，不作超出权限的承诺。"), new("alertSupervisor", Body: "监管投诉风险")]),
                new("cancel", "客户要销户 / wants to cancel", [new(Said: ["销户", "注销", "cancel my account", "close my account"], By: "customer")],
                    [new("script", "挽留话术", "先了解原因；可提供年费减免或额度调整。"), new("tag", Tag: "churn-risk")]),
                new("upset", "客户情绪激动 / customer upset", [new(Sentiment: new(-0.3, 15), By: "customer")],
                    [new("escalate", Group: "senior"), new("tag", Tag: "escalated")]),
                new("greeting", "未使用开场白 / no greeting", [new(NotSaid: ["感谢来电", "thank you for calling"], By: "agent", First: 10)],
                    [new("tag", Tag: "no-greeting")]),
            ]), 0, "demo", cancellationToken);
        }
        if (!await db.KnowledgeArticles.AnyAsync(cancellationToken))
        {
            foreach (var article in Articles)
            {
                await articles.CreateAsync(article, "demo", cancellationToken);
            }
        }
    }

    private static readonly ArticleInput[] Articles =
    [
        new("银行卡挂失", "请立即在手机银行“卡片管理”中冻结卡片，或拨打客服热线挂失；补办的新卡七个工作日内寄到。",
            ["我的银行卡丢了怎么办", "信用卡被偷了", "卡片遗失怎么挂失", "银行卡找不到了"], ["挂失"], "zh-CN", null, ArticleStatus.Published),
        new("信用卡年费减免", "首年免年费；一年内刷卡满六次，次年年费自动减免。", ["信用卡年费怎么减免", "年费能免吗", "为什么扣了年费"], ["年费"], "zh-CN", null, ArticleStatus.Published),
        new("提高信用额度", "在手机银行“额度管理”中申请提额，三个工作日内审核并短信通知。", ["信用卡怎么提额", "额度太低能提高吗", "怎么申请临时额度"], ["额度"], "zh-CN", null, ArticleStatus.Published),
        new("转账未到账", "跨行转账一般两小时内到账，节假日顺延；超过24小时未到账请提供流水号查询。", ["转账怎么还没到", "对方没收到我转的钱", "转账多久到账"], ["转账"], "zh-CN", null, ArticleStatus.Published),
        new("Lost or stolen card", "Freeze the card in the app under Cards, then order a replacement; it arrives within seven working days.",
            ["I lost my card", "my card was stolen", "how do I block my card"], ["card"], "en", null, ArticleStatus.Published),
        new("Transfer not received", "Transfers to other banks usually arrive within two hours; after 24 hours, send us the reference and we will trace it.",
            ["my transfer has not arrived", "the recipient did not get my money", "how long does a transfer take"], ["transfer"], "en", null, ArticleStatus.Published),
    ];
}
