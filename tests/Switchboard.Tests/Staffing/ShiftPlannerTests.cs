using CsCheck;
using Switchboard.Core.Staffing;

namespace Switchboard.Tests.Staffing;

public sealed class ShiftPlannerTests
{
    private static readonly DateTime Day = new(2026, 11, 30, 7, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan HalfHour = TimeSpan.FromMinutes(30);

    private static readonly ShiftTemplate[] Templates =
    [
        new("8h", TimeSpan.FromHours(8.5), new TimeOnly(7, 0), new TimeOnly(12, 30), HalfHour, HalfHour, TimeSpan.FromHours(3), TimeSpan.FromHours(5)),
        new("4h", TimeSpan.FromHours(4), new TimeOnly(7, 0), new TimeOnly(17, 0), HalfHour, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero),
    ];

    private static List<(DateTime, int)> Requirement(IEnumerable<int> agents) => agents.Select((n, i) => (Day + i * HalfHour, n)).ToList();

    [Fact]
    public void AFlatDay_IsCoveredByFullShiftsWithStaggeredBreaks()
    {
        // 07:00–21:00 (28 half hours), 10 agents all day.
        var plan = ShiftPlanner.Plan(Requirement(Enumerable.Repeat(10, 28)), HalfHour, Templates);

        Assert.Empty(plan.Uncovered);
        Assert.All(plan.Coverage, c => Assert.True(c.Over >= 0, $"{c.Start:HH:mm} short by {-c.Over}"));
        Assert.Equal(140, plan.RequiredHours);
        // Within 15% of the bound: breaks and the 14-hour day against 8- and 4-hour shifts cost a little.
        Assert.InRange(plan.PaidHours, 140, 140 * 1.15);
        Assert.All(plan.Shifts.Where(s => s.Template == "8h"), s => Assert.InRange((s.BreakStart!.Value - s.Start).TotalHours, 3, 5));
    }

    [Fact]
    public void AnyRequirement_IsNeverUnderStaffed_AndNoShiftIsSuperfluous() =>
        Gen.Int[0, 25].Array[28].Sample(agents =>
        {
            var plan = ShiftPlanner.Plan(Requirement(agents), HalfHour, Templates);
            Assert.Empty(plan.Uncovered);
            Assert.All(plan.Coverage, c => Assert.True(c.Over >= 0));
            Assert.True(plan.PaidHours >= plan.RequiredHours - 1e-9);
            // Removing any one shift would leave some interval short.
            foreach (var shift in plan.Shifts)
            {
                var worked = plan.Coverage.Where(c => c.Start >= shift.Start && c.Start < shift.End && !(shift.BreakStart <= c.Start && c.Start < shift.BreakEnd));
                Assert.Contains(worked, c => c.Over == 0);
            }
        }, iter: 200);

    [Fact]
    public void AnIntervalNoShiftCanCover_IsReported()
    {
        var late = new ShiftTemplate("late", TimeSpan.FromHours(4), new TimeOnly(9, 0), new TimeOnly(9, 0), HalfHour, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        var plan = ShiftPlanner.Plan(Requirement([3, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2]), HalfHour, [late]);
        Assert.Equal([Day], plan.Uncovered);
        Assert.Equal(2, plan.Shifts.Count);
    }
}
