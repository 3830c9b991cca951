using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Data.Sqlite;
using Switchboard.Core.Customers;
using Switchboard.Core.Outbox;
using Switchboard.Tests.TestSupport;

namespace Switchboard.Tests.Delivery;

/// <summary>
/// The outbox under the kill signal: the real server process (<c>switchboard serve</c>) is killed (SIGKILL) at random
/// points while changes are made and delivered, and started again. After the last start has drained: every change
/// the API acknowledged arrived, every event that arrived was committed, none was applied twice, each customer's in
/// order. <c>SWITCHBOARD_CRASH_KILLS</c> and <c>SWITCHBOARD_CRASH_CHANGES</c> scale it (docs/benchmarks.md: 1,000 kills
/// over 10,000 changes); the default run is 8 kills over 400.
/// </summary>
public sealed class OutboxCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledAtRandomPoints_NothingCommittedIsLost_NothingUncommittedIsSent_NothingAppliedTwice()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_CRASH_KILLS"), out var k) ? k : 8;
        var changes = int.TryParse(Environment.GetEnvironmentVariable("SWITCHBOARD_CRASH_CHANGES"), out var c) ? c : 400;
        var dataDir = Directory.CreateTempSubdirectory("sb-crash-").FullName;
        await using var receiver = await WebhookReceiver.StartAsync();
        var port = FreePort();
        var baseUrl = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SwitchboardApplication.AdminKey);
        var acknowledged = new List<(Guid Customer, string Type)>();
        var random = new Random(20261125);
        try
        {
            var server = await StartAsync(dataDir, baseUrl, http);
            var webhook = await (await http.PostJsonAsync("/api/v1/webhooks", new WebhookInput("crash", receiver.Url.ToString(), ["customer.*", "ticket.*"], null, 50)))
                .ReadAsync<WebhookView>();
            receiver.Secret = webhook.Secret!;
            var killAt = Enumerable.Range(0, kills).Select(_ => random.Next(changes)).Order().ToList();
            Guid? customer = null;
            for (var i = 0; i < changes; i++)
            {
                while (killAt.Count > 0 && killAt[0] <= i)
                {
                    // Kill while the last changes are still being routed and delivered (a random pause: 0–60 ms).
                    await Task.Delay(random.Next(60), Ct);
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync(Ct);
                    server.Dispose();
                    killAt.RemoveAt(0);
                    server = await StartAsync(dataDir, baseUrl, http);
                }
                if (customer is null || i % 3 == 0)
                {
                    var made = await http.PostJsonAsync("/api/v1/customers", new CustomerInput { DisplayName = $"客户 {i}" });
                    customer = (await made.ReadAsync<CustomerView>()).Id;
                    acknowledged.Add((customer.Value, "customer.created"));
                }
                else
                {
                    var made = await http.PostJsonAsync($"/api/v1/customers/{customer}/tickets", new TicketInput { Subject = $"第 {i} 号" });
                    Assert.Equal(HttpStatusCode.Created, made.StatusCode);
                    acknowledged.Add((customer.Value, "ticket.created"));
                }
            }

            // Drained: every committed message is delivered.
            var committed = await Eventually.ValueAsync(() => MessagesAsync(dataDir), messages => messages.Count > 0 && messages.Count == receiver.Applied.Count,
                () => $"{receiver.Applied.Count} applied, committed {MessagesAsync(dataDir).GetAwaiter().GetResult().Count}", TimeSpan.FromMinutes(2));
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(Ct);

            var applied = receiver.Applied.Select(e => (Id: e.GetProperty("id").GetString()!, Customer: Guid.Parse(e.GetProperty("customerId").GetString()!),
                Type: e.GetProperty("type").GetString()!)).ToList();
            Assert.Equal(applied.Count, applied.Select(a => a.Id).Distinct().Count());                  // none applied twice
            Assert.Equal(committed.Select(m => "evt_" + m).Order(), applied.Select(a => a.Id).Order()); // all committed, only committed
            foreach (var ack in acknowledged.GroupBy(a => a))
            {
                Assert.True(applied.Count(a => (a.Customer, a.Type) == ack.Key) >= ack.Count(), $"{ack.Key} was acknowledged but never arrived");
            }
            foreach (var perCustomer in applied.GroupBy(a => a.Customer))
            {
                var ids = perCustomer.Select(a => long.Parse(a.Id[4..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(ids.Order(), ids); // in order per customer
            }
            Assert.Equal(acknowledged.Count, applied.Count); // no change committed without its acknowledgement reaching us, in this run
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDir, recursive: true);
        }
    }

    private static async Task<List<long>> MessagesAsync(string dataDir)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDir, "switchboard.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM OutboxMessages ORDER BY Id";
        var ids = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetInt64(0));
        }
        return ids;
    }

    private static async Task<Process> StartAsync(string dataDir, Uri baseUrl, HttpClient http)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "switchboard.dll"), "serve", "--data-dir", dataDir, "--urls", baseUrl.ToString()])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.Environment["Security__BootstrapAdminKey"] = SwitchboardApplication.AdminKey;
        start.Environment["Outbox__PollMilliseconds"] = "20";
        start.Environment["Outbox__FirstRetryMilliseconds"] = "20";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await http.GetAsync("/health/ready", Ct)).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, "the server did not start");
        return process;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
