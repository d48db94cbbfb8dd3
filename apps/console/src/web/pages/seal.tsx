// Seal officers: the certificate authority behind every seal (root, issuing CA, timestamp
// authority). The seal lifecycle, authorisation and signing screens follow the seal contract.
import { seal } from '../api/clients.ts';
import { DataView } from '../components/feedback.tsx';
import { t } from '../i18n/index.ts';
import { useLoad } from '../use-load.ts';

export function SealPage() {
  const ca = useLoad(() => seal.ca.certificates.query(), []);
  return (
    <section>
      <h1>{t.seal.title}</h1>
      <p className="lead">{t.seal.intro}</p>
      <DataView loaded={ca}>
        {(c) => (
          <section className="card" aria-labelledby="ca-title">
            <h2 id="ca-title">{t.seal.caTitle}</h2>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t.seal.caTitle}</th>
                    <th scope="col">{t.seal.serial}</th>
                    <th scope="col">{t.seal.validity}</th>
                  </tr>
                </thead>
                <tbody>
                  {(
                    [
                      [t.seal.root, c.root],
                      [t.seal.issuing, c.issuing],
                      [t.seal.timestamping, c.timestamping],
                    ] as const
                  ).map(([label, cert]) => (
                    <tr key={cert.serial}>
                      <td>{label}</td>
                      <td className="mono small">{cert.serial}</td>
                      <td>
                        {t.date(cert.notBefore)} – {t.date(cert.notAfter)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        )}
      </DataView>
      <p className="notice">{t.seal.notYet}</p>
    </section>
  );
}
