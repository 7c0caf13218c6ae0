/** The help-desk contact shown at the bottom of every page (2019 guide). */
export function SupportFooter() {
  return (
    <footer className="site-footer">
      <div className="support">
        <p>
          <strong>Have questions? Contact the Quality Payment Program</strong>
        </p>
        <p>
          By Phone: <a href="tel:+18662888292">1-866-288-8292</a> (TTY: <a href="tel:+18777156222">1-877-715-6222</a>) or By Email:{' '}
          <a href="mailto:QPP@cms.hhs.gov">QPP@cms.hhs.gov</a>
        </p>
        <p>Monday – Friday, 8am – 8pm EST</p>
      </div>
    </footer>
  );
}
