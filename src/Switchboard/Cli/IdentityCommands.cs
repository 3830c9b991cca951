using System.CommandLine;
using Switchboard.Core.Common;
using Switchboard.Core.Security;
using Switchboard.Data;
using Switchboard.Hosting;

namespace Switchboard.Cli;

/// <summary>
/// <c>switchboard users add</c> (the password read from standard input, never from the command line, where it would
/// stay in the shell's history and the process list) and <c>switchboard apikeys create | rotate | revoke | list</c>.
/// </summary>
internal static class IdentityCommands
{
    public static Command Users(TextReader input, TextWriter output, TextWriter error)
    {
        var name = new Option<string>("--name") { Description = "Sign-in name (for agents: their agent id).", Required = true };
        var role = RoleOption();
        var dataDir = HostCommandOptions.DataDir();
        var add = new Command("add", $"Add a user; the password (at least {IdentityStore.MinPasswordLength} characters) is read from standard input.") { name, role, dataDir };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var password = (await input.ReadLineAsync(cancellationToken))?.TrimEnd('\r');
            return await WithStoreAsync(parse.GetValue(dataDir)!, error, async store =>
            {
                var user = await store.AddUserAsync(parse.GetValue(name), parse.GetValue(role), password, cancellationToken);
                if (user.IsSuccess)
                {
                    await output.WriteLineAsync($"User '{user.Value.Name}' ({user.Value.Role}) added.");
                }
                return user.IsSuccess ? 0 : await FailAsync(error, user.Error!);
            }, cancellationToken);
        });
        return new Command("users", "Local users who sign in to the pages and the API.") { add };
    }

    public static Command ApiKeys(TextWriter output, TextWriter error)
    {
        var dataDir = HostCommandOptions.DataDir();
        var name = new Option<string>("--name") { Description = "The system the key is for, e.g. pbx-shanghai or crm-sync.", Required = true };
        var role = RoleOption();
        var expires = new Option<int?>("--expires-days") { Description = "Days until the key stops working (default: never)." };
        var create = new Command("create", "Make an API key for a system and print it once.") { name, role, expires, dataDir };
        create.SetAction(async (parse, cancellationToken) => await WithStoreAsync(parse.GetValue(dataDir)!, error, async store =>
        {
            var expiresAt = parse.GetValue(expires) is { } days ? TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(days) : (DateTime?)null;
            return await PrintAsync(await store.CreateApiKeyAsync(parse.GetValue(name), parse.GetValue(role), expiresAt, cancellationToken), output, error);
        }, cancellationToken));

        var overlap = new Option<int>("--overlap-hours") { Description = "Hours the current keys keep working beside the new one (default 24).", DefaultValueFactory = _ => 24 };
        var rotate = new Command("rotate", "Make a new key for a system; its current keys keep working for the overlap, then expire.") { name, overlap, dataDir };
        rotate.SetAction(async (parse, cancellationToken) => await WithStoreAsync(parse.GetValue(dataDir)!, error, async store =>
            await PrintAsync(await store.RotateApiKeyAsync(parse.GetValue(name)!, TimeSpan.FromHours(parse.GetValue(overlap)), cancellationToken), output, error),
            cancellationToken));

        var revoke = new Command("revoke", "Every key of a system stops working now.") { name, dataDir };
        revoke.SetAction(async (parse, cancellationToken) => await WithStoreAsync(parse.GetValue(dataDir)!, error, async store =>
        {
            var revoked = await store.RevokeApiKeysAsync(parse.GetValue(name)!, cancellationToken);
            if (revoked.IsSuccess)
            {
                await output.WriteLineAsync($"{revoked.Value} key(s) of '{parse.GetValue(name)}' revoked.");
            }
            return revoked.IsSuccess ? 0 : await FailAsync(error, revoked.Error!);
        }, cancellationToken));

        var list = new Command("list", "Every key: name, role, hint, created, expires, revoked (never the key).") { dataDir };
        list.SetAction(async (parse, cancellationToken) => await WithStoreAsync(parse.GetValue(dataDir)!, error, async store =>
        {
            foreach (var key in await store.ApiKeysAsync(cancellationToken))
            {
                await output.WriteLineAsync($"{key.Name}\t{key.Role}\t{key.Hint}…\tcreated {key.CreatedAt:u}\texpires {key.ExpiresAt?.ToString("u") ?? "never"}\t{(key.RevokedAt is { } r ? $"revoked {r:u}" : "active")}");
            }
            return 0;
        }, cancellationToken));
        return new Command("apikeys", "API keys of systems (PBX adapters, CRM connectors), kept hashed.") { create, rotate, revoke, list };
    }

    private static Option<Role?> RoleOption() => new("--role")
    {
        Description = $"One of {string.Join(", ", Enum.GetNames<Role>())}.", Required = true,
    };

    private static async Task<int> PrintAsync(Result<NewApiKey> made, TextWriter output, TextWriter error)
    {
        if (!made.IsSuccess)
        {
            return await FailAsync(error, made.Error!);
        }
        await output.WriteLineAsync($"API key for '{made.Value.View.Name}' ({made.Value.View.Role}). Keep it; it is not shown again:");
        await output.WriteLineAsync($"  {made.Value.Key}");
        await output.WriteLineAsync("Send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.");
        return 0;
    }

    private static async Task<int> FailAsync(TextWriter error, Error failure)
    {
        var fields = failure.Fields is { } f ? " " + string.Join("; ", f.Select(x => $"{x.Key} {string.Join(" ", x.Value)}")) : "";
        await error.WriteLineAsync($"error: {failure.Message}{fields}");
        return 2;
    }

    private static async Task<int> WithStoreAsync(string dataDir, TextWriter error, Func<IdentityStore, Task<int>> action, CancellationToken cancellationToken)
    {
        using var host = OfflineHost.Build(HostCommandOptions.HostArgs(dataDir));
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        return await action(scope.ServiceProvider.GetRequiredService<IdentityStore>());
    }
}
