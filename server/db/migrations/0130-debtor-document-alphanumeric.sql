-- Alphanumeric CNPJ (Receita Federal, issued from July 2026; Nota Técnica COCAD/SUARA/RFB
-- 49/2024): 12 characters of 0-9/A-Z and two numeric check digits. 0001 admitted only digits, so
-- `POST /api/debtors` with such a CNPJ failed this CHECK (a 500) and imports lost the row. The
-- same pattern as the creditor's document (0030) and as shared/identity/document.ts, which also
-- verifies the check digits; upper case only, as the shared parser normalises it.
ALTER TABLE debtors DROP CONSTRAINT IF EXISTS debtors_document_check;
ALTER TABLE debtors ADD CONSTRAINT debtors_document_check
  CHECK (document ~ '^([0-9]{11}|[0-9A-Z]{12}[0-9]{2})$');
