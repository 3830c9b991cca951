using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Switchboard.Core.Persistence;
using Switchboard.Core.Security;

namespace Switchboard.Security;

/// <summary>
/// Keeps data-protection keys (which protect sign-in cookies and bearer tokens) in the store, so they survive a
/// restart and every node on a shared PostgreSQL store reads the same keys. The interface is synchronous; keys are
/// read a few times a day and written about once every 90 days.
/// </summary>
internal sealed class StoreXmlRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        return [.. scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>().DataProtectionKeys.AsNoTracking()
            .OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(XElement.Parse)];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<SwitchboardDbContext>();
        db.DataProtectionKeys.Add(new DataProtectionKeyRecord { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
