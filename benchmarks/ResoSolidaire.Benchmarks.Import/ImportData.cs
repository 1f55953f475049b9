using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;

namespace ResoSolidaire.Benchmarks.Import;

/// <summary>What the import benchmarks share: the generated spreadsheet, the raw baseline, medians.</summary>
internal static class ImportData
{
    /// <summary>The import's parallelism (DirectoryOptions.ImportParallelism): the baseline sends as many batches at once.</summary>
    public const int Parallelism = 8;

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    // Entities shaped like the import's (16 partitions by the first hex digit of a random id, same properties).
    public static async Task<TimeSpan> BaselineAsync(TableClient table, int count)
    {
        await table.CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        var entities = Enumerable.Range(0, count).Select(i =>
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            return new TableEntity(id[..1], id)
            {
                ["Name"] = $"Association numéro {i}",
                ["NameKey"] = $"association numero {i}",
                ["Kind"] = "association",
                ["LegalStatus"] = "Association loi 1901",
                ["LegalStatusKey"] = "association loi 1901",
                ["Siret"] = Siret(i),
                ["Sectors"] = "culture\nsante-social",
                ["CommuneInsee"] = "35238",
                ["CommuneName"] = "Rennes",
                ["Epci"] = "243500139",
                ["PostalCode"] = "35000",
                ["Address"] = $"{i} rue de la République",
                ["Emails"] = $"contact{i}@asso.example",
                ["Phones"] = "02 99 00 00 00",
                ["Tags"] = "forum\nbenchmark",
                ["TagKeys"] = "forum\nbenchmark",
                ["Newsletter"] = true,
                ["CreatedAt"] = now,
                ["CreatedBy"] = "benchmark",
                ["UpdatedAt"] = now,
                ["UpdatedBy"] = "benchmark",
            };
        }).ToList();
        var batches = entities.GroupBy(e => e.PartitionKey).SelectMany(g => g.Chunk(100)).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (batch, ct) =>
            await table.SubmitTransactionAsync(batch.Select(e => new TableTransactionAction(TableTransactionActionType.Add, e)), ct));
        return clock.Elapsed;
    }

    /// <summary>
    /// A staff spreadsheet of <paramref name="count"/> new actors, numbered from <paramref name="first"/>; with
    /// <paramref name="varied"/>, a third each in culture and health, mobility, digital and culture (for the list's filters).
    /// </summary>
    public static byte[] Spreadsheet(int count, int first = 0, bool varied = false, Encoding? encoding = null)
    {
        string[] communes = ["Rennes;35000", "Cesson-Sévigné;35510", "Bruz;35170", "Liffré;35340", "Châteaugiron;35410", "Melesse;35520", "Pacé;35740", "La Bouëxière;35340"];
        string[] sectors = varied ? ["Culture, loisirs|Santé", "Mobilité", "Numérique|Culture, loisirs"] : ["Culture, loisirs|Santé"];
        var text = new StringBuilder("Nom;Type;Statut juridique;SIRET;Secteurs;Commune;Code postal;Adresse;E-mail;Téléphone;Mots-clés;Newsletter\r\n");
        for (var i = first; i < first + count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"Association numéro {i};Association;Association loi 1901;{Siret(i)};{sectors[i % sectors.Length]};{communes[i % communes.Length]};{i} rue de la République;contact{i}@asso.example;02 99 00 00 00;forum, benchmark;oui\r\n");
        }

        return (encoding ?? Encoding.UTF8).GetBytes(text.ToString());
    }

    // A made-up SIRET with a valid Luhn key: 13 digits from the row number, then the key.
    public static string Siret(int i)
    {
        var body = (1_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
        for (var key = 0; key < 10; key++)
        {
            var candidate = body + key.ToString(CultureInfo.InvariantCulture);
            var sum = 0;
            for (var d = 0; d < 14; d++)
            {
                var digit = candidate[13 - d] - '0';
                if (d % 2 == 1)
                {
                    digit = digit * 2 > 9 ? (digit * 2) - 9 : digit * 2;
                }

                sum += digit;
            }

            if (sum % 10 == 0)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No Luhn key.");
    }
}
